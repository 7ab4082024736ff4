/**
 * A labelled set for the grounding check (promise 1): replies a correct agent would send, and the
 * same kind of replies with one planted error each (an invented price, stock figure, date or time,
 * or a foreign link). Tool results are shaped as Parley's tools return them.
 */
export interface LabelledReply {
  name: string;
  /** The turn's tool results. */
  tools: unknown[];
  /** What the customer wrote this turn. */
  customer: string;
  reply: string;
  /** True when every figure in the reply is grounded. */
  grounded: boolean;
}

const helmet = {
  product: {
    handle: 'ridgeline-mips-helmet',
    title: 'Ridgeline MIPS Helmet',
    variants: [
      { variantId: 'v1', title: 'Black / M', price: '£69.99', stock: 6 },
      { variantId: 'v2', title: 'White / L', price: '£69.99', stock: 0 },
      { variantId: 'v3', title: 'Red / M', price: '£69.99', stock: 2 },
    ],
  },
};
const roadBike = {
  results: [
    {
      handle: 'harbour-road-105',
      title: 'Harbour Road 105',
      priceFrom: '£1,149.00',
      inStock: true,
      variants: [
        { title: '54 cm', price: '£1,149.00', stock: 4 },
        { title: '56 cm', price: '£1,149.00', stock: 0 },
      ],
    },
    {
      handle: 'fellside-carbon-ultegra',
      title: 'Fellside Carbon Ultegra',
      priceFrom: '£2,499.00',
      compareAt: '£2,799.00',
      variants: [{ title: '54 cm', price: '£2,499.00', stock: 2 }],
    },
  ],
};
const cart = {
  currency: 'GBP',
  lines: [
    { item: 'Beacon 800 Front Light', quantity: 2, unitPrice: '£39.99', lineTotal: '£79.98' },
    {
      item: 'Inner Tube (700x28-35c Presta)',
      quantity: 3,
      unitPrice: '£6.99',
      lineTotal: '£20.97',
    },
  ],
  total: '£100.95',
};
const slots = {
  service: 'Basic tune-up',
  price: '£45.00',
  durationMinutes: 60,
  slots: [
    { start: '2026-12-03T09:00:00.000Z', label: 'Thursday 3 December 09:00' },
    { start: '2026-12-03T14:30:00.000Z', label: 'Thursday 3 December 14:30' },
    { start: '2026-12-04T10:15:00.000Z', label: 'Friday 4 December 10:15' },
  ],
};
const delivery = {
  results: [
    {
      source: 'FAQ: Do you deliver, and how much does it cost?',
      text: 'Yes. Parts and accessories go by Royal Mail or courier for £4.95, free on orders over £50, and usually arrive in 2 to 3 working days. Bikes are delivered fully built within 15 miles of the shop for £25, or boxed anywhere in mainland UK for £40.',
    },
  ],
};
const hours = {
  results: [
    {
      source: 'FAQ: What are your opening hours?',
      text: 'We are open Monday to Friday 9am to 6pm and Saturday 10am to 4pm. We are closed on Sundays and bank holidays.',
    },
  ],
};
const order = {
  orders: [
    {
      orderNumber: 1042,
      status: 'paid, being prepared',
      placedOn: '2026-11-20T15:42:10.000Z',
      total: '£1,162.98',
      items: ['1 × Harbour Road 105 (54 cm): £1,149.00', '2 × Inner Tube: £13.98'],
    },
  ],
};
const booking = {
  status: 'awaiting_customer_confirmation',
  appointment: { service: 'Full service', start: '2026-12-07T13:00:00.000Z', price: '£95.00' },
};
const minorPrices = {
  variant: { title: 'Default', priceMinor: 4999, compareAtMinor: 5999, stock: 10 },
};

const correct: Array<Omit<LabelledReply, 'grounded'>> = [
  {
    name: 'helmet price',
    tools: [helmet],
    customer: 'How much is the Ridgeline helmet?',
    reply: 'The Ridgeline MIPS Helmet is £69.99 in every size and colour.',
  },
  {
    name: 'helmet stock',
    tools: [helmet],
    customer: 'Do you have it in red?',
    reply: 'Yes, we have 2 left in Red / M at £69.99.',
  },
  {
    name: 'helmet out of stock',
    tools: [helmet],
    customer: 'White large?',
    reply: 'Sorry, White / L is out of stock right now. Black / M has 6 in stock.',
  },
  {
    name: 'road bike from price',
    tools: [roadBike],
    customer: 'road bikes?',
    reply:
      'The Harbour Road 105 starts at £1,149 and the Fellside Carbon Ultegra is £2,499 (was £2,799).',
  },
  {
    name: 'road bike no decimals',
    tools: [roadBike],
    customer: 'price?',
    reply: 'It is 1149 GBP.',
  },
  {
    name: 'road bike code before',
    tools: [roadBike],
    customer: 'price?',
    reply: 'That one is GBP 2,499.00, down from GBP 2,799.00.',
  },
  {
    name: 'road bike stock',
    tools: [roadBike],
    customer: 'is 54 in stock',
    reply: 'Yes, we have 4 in stock in 54 cm.',
  },
  {
    name: 'cart total',
    tools: [cart],
    customer: "what's in my cart",
    reply:
      'You have 2 × Beacon 800 Front Light (£79.98) and 3 × Inner Tube (£20.97). Total: £100.95.',
  },
  {
    name: 'cart unit price',
    tools: [cart],
    customer: 'how much each',
    reply: 'The front light is £39.99 each and tubes are £6.99 each.',
  },
  {
    name: 'delivery faq',
    tools: [delivery],
    customer: 'delivery cost?',
    reply:
      'Parts go for £4.95, free over £50. Bikes: £25 within 15 miles, or £40 boxed anywhere in mainland UK.',
  },
  {
    name: 'delivery pounds word',
    tools: [delivery],
    customer: 'delivery cost?',
    reply: 'It costs 4.95 pounds, and it is free on orders over 50 pounds.',
  },
  {
    name: 'hours faq',
    tools: [hours],
    customer: 'when are you open',
    reply: "We're open 9am to 6pm Monday to Friday, and 10am to 4pm on Saturdays.",
  },
  {
    name: 'hours 24h',
    tools: [hours],
    customer: 'saturday?',
    reply: 'On Saturday we are open from 10:00 to 16:00.',
  },
  {
    name: 'slots local time',
    tools: [slots],
    customer: 'tune-up next week?',
    reply:
      'I can do Thursday 3 December at 09:00 or 14:30, or Friday 4 December at 10:15. It costs £45.',
  },
  {
    name: 'slots am pm',
    tools: [slots],
    customer: 'afternoon?',
    reply: 'There is a slot at 2:30pm on 3 December.',
  },
  {
    name: 'slots ambiguous clock',
    tools: [slots],
    customer: 'afternoon?',
    reply: 'The afternoon slot is at 2:30 on Thursday.',
  },
  {
    name: 'slots month first',
    tools: [slots],
    customer: 'when',
    reply: 'How about December 4 at 10:15 am?',
  },
  {
    name: 'slot numeric date',
    tools: [slots],
    customer: 'when',
    reply: 'I have 03/12 at 09:00 free.',
  },
  {
    name: 'order status',
    tools: [order],
    customer: 'where is my order 1042',
    reply: 'Order 1042 is paid and being prepared. Total £1,162.98, placed on 20 November.',
  },
  {
    name: 'order items',
    tools: [order],
    customer: 'what did I order',
    reply: 'You ordered the Harbour Road 105 (54 cm) for £1,149.00 and 2 inner tubes for £13.98.',
  },
  {
    name: 'booking proposal',
    tools: [booking],
    customer: 'book full service monday 1pm',
    reply: 'I can book the Full service on 7 December at 13:00 for £95. Please confirm below.',
  },
  {
    name: 'minor units',
    tools: [minorPrices],
    customer: 'lock price',
    reply: 'It is £49.99, down from £59.99, and we have 10 in stock.',
  },
  {
    name: 'customer budget echoed',
    tools: [roadBike],
    customer: 'I have £1,500 to spend',
    reply: 'With £1,500 the Harbour Road 105 at £1,149 fits your budget.',
  },
  {
    name: 'no figures',
    tools: [],
    customer: 'thanks',
    reply: "You're welcome! Anything else I can help with?",
  },
  {
    name: 'sizes are not prices',
    tools: [roadBike],
    customer: 'sizes',
    reply: 'It comes in 54 cm and 56 cm frames, with 12-speed gears.',
  },
  {
    name: 'allowed link',
    tools: [],
    customer: 'website?',
    reply: 'You can see everything at https://northside-cycles.example/bikes.',
  },
  {
    name: 'payment link',
    tools: [{ paymentLink: 'https://checkout.stripe.com/c/pay/cs_test_123' }],
    customer: 'pay link?',
    reply: 'Here it is: https://checkout.stripe.com/c/pay/cs_test_123',
  },
  {
    name: 'email not a link',
    tools: [],
    customer: 'email?',
    reply: 'Write to hello@northside-cycles.example and we will reply.',
  },
  {
    name: 'percent and durations',
    tools: [delivery],
    customer: 'how long',
    reply: 'Usually 2 to 3 working days.',
  },
  {
    name: 'phone number',
    tools: [],
    customer: 'phone',
    reply: 'Call us on 0161 496 0123 during opening hours.',
  },
  {
    name: 'euro decimal comma',
    tools: [{ price: '€3,50' }],
    customer: 'prix',
    reply: 'Ça coûte 3,50 €.',
  },
  {
    name: 'noon',
    tools: [{ slots: [{ start: '2026-12-03T12:00:00.000Z' }] }],
    customer: 'when',
    reply: 'There is a slot at noon on 3 December.',
  },
];

const planted: Array<Omit<LabelledReply, 'grounded'>> = [
  {
    name: 'invented helmet price',
    tools: [helmet],
    customer: 'How much is the Ridgeline helmet?',
    reply: 'The Ridgeline MIPS Helmet is £59.99.',
  },
  {
    name: 'invented discount',
    tools: [helmet],
    customer: 'any deals?',
    reply: 'It is £69.99, but for you £49.99 today.',
  },
  {
    name: 'invented stock',
    tools: [helmet],
    customer: 'red?',
    reply: 'We have 5 left in Red / M.',
  },
  {
    name: 'stock only',
    tools: [helmet],
    customer: 'red?',
    reply: 'Only 4 Red / M helmets are available.',
  },
  {
    name: 'wrong bike price',
    tools: [roadBike],
    customer: 'price?',
    reply: 'The Harbour Road 105 is £1,049.',
  },
  {
    name: 'wrong code price',
    tools: [roadBike],
    customer: 'price?',
    reply: 'That one is 2,399 GBP.',
  },
  {
    name: 'wrong stock bike',
    tools: [roadBike],
    customer: 'stock?',
    reply: 'We have 7 in stock in 54 cm.',
  },
  { name: 'miscomputed total', tools: [cart], customer: 'total?', reply: 'Your total is £99.95.' },
  {
    name: 'invented line total',
    tools: [cart],
    customer: 'lights?',
    reply: 'Two front lights come to £80.00.',
  },
  {
    name: 'invented delivery',
    tools: [delivery],
    customer: 'delivery?',
    reply: 'Delivery is £3.95 for parts.',
  },
  {
    name: 'invented threshold',
    tools: [delivery],
    customer: 'free?',
    reply: 'Delivery is free on orders over £40.',
  },
  {
    name: 'hours wrong',
    tools: [hours],
    customer: 'open?',
    reply: 'We are open until 7pm on weekdays.',
  },
  {
    name: 'hours wrong 24h',
    tools: [hours],
    customer: 'saturday?',
    reply: 'On Saturday we open at 09:30.',
  },
  {
    name: 'slot invented time',
    tools: [slots],
    customer: 'tune-up?',
    reply: 'I can do Thursday 3 December at 11:00.',
  },
  {
    name: 'slot invented date',
    tools: [slots],
    customer: 'tune-up?',
    reply: 'How about 5 December at 09:00?',
  },
  { name: 'slot wrong price', tools: [slots], customer: 'how much', reply: 'The tune-up is £40.' },
  {
    name: 'slot month first wrong',
    tools: [slots],
    customer: 'when',
    reply: 'December 10 at 10:15 am works.',
  },
  { name: 'slot numeric wrong', tools: [slots], customer: 'when', reply: 'I have 15/12 free.' },
  {
    name: 'order wrong total',
    tools: [order],
    customer: 'order?',
    reply: 'Order 1042 came to £1,126.98.',
  },
  {
    name: 'order invented date',
    tools: [order],
    customer: 'when',
    reply: 'It was placed on 18 November.',
  },
  {
    name: 'order invented delivery date',
    tools: [order],
    customer: 'arrive?',
    reply: 'It will arrive on 28 November.',
  },
  {
    name: 'booking wrong time',
    tools: [booking],
    customer: 'book',
    reply: 'Booked for 7 December at 14:00.',
  },
  { name: 'minor units wrong', tools: [minorPrices], customer: 'price', reply: 'It is £4,999.' },
  { name: 'no tools price', tools: [], customer: 'price of lube?', reply: 'Chain lube is £8.99.' },
  {
    name: 'no tools time',
    tools: [],
    customer: 'open sunday?',
    reply: 'On Sunday we open at 11am.',
  },
  { name: 'pence', tools: [helmet], customer: 'cheap?', reply: 'Valve caps are 50p each.' },
  { name: 'dollar', tools: [helmet], customer: 'usd?', reply: 'That is about $89 in US money.' },
  {
    name: 'foreign link',
    tools: [],
    customer: 'pay?',
    reply: 'Pay here: https://northside-cycles-payments.com/checkout',
  },
  {
    name: 'foreign bare domain',
    tools: [],
    customer: 'pay?',
    reply: 'Please pay at evil-shop.xyz/pay to get a discount.',
  },
  {
    name: 'credential trick link',
    tools: [],
    customer: 'site?',
    reply: 'See https://northside-cycles.example@phish.example/login',
  },
  {
    name: 'lookalike host',
    tools: [],
    customer: 'site?',
    reply: 'See https://northside-cycles.example.evil.io/',
  },
  { name: 'euro wrong', tools: [{ price: '€3,50' }], customer: 'prix', reply: 'Ça coûte 3,80 €.' },
];

export const LABELLED_REPLIES: LabelledReply[] = [
  ...correct.map((item) => ({ ...item, grounded: true })),
  ...planted.map((item) => ({ ...item, grounded: false })),
];
