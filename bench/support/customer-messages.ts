/**
 * Ordinary customer questions for a bike shop, each worded differently. The handoff policy hands a
 * conversation to a person when the customer keeps repeating themselves (half or more of the words
 * shared, several turns in a row), so a benchmark that sent one sentence again and again would
 * measure handoffs, not turns. None of these asks for a person, complains or names a trigger topic.
 */
export const CUSTOMER_MESSAGES: readonly string[] = [
  'Hi! How long does a bike fitting take?',
  'Which helmet sizes do you stock for children?',
  'Can I bring my gravel bike in for a brake bleed this week?',
  'Are e-bikes available to try before buying?',
  'What tyre pressure suits commuting on wet cobbles?',
  'Do you sell panniers that clip onto a rear rack?',
  'Is there parking near the shop for a van?',
  'Could my daughter test ride a small frame on Saturday?',
  'What lights would you recommend for dark country lanes?',
  'Does the winter service include cleaning the drivetrain?',
  'Which lock is good enough for leaving outside a train station?',
  'I ride about forty minutes each way, flat roads mostly.',
  'Are your mudguards compatible with disc brakes?',
  'My chain keeps slipping on the smallest cog, any idea why?',
  'Have the new touring frames arrived yet?',
  'What saddle suits long weekend rides?',
  'Do you fit tubeless tyres while I wait?',
  'Can gift cards be used online as well as in store?',
  'Is a hybrid better than a road bike for light trails?',
  'Which gloves keep fingers warm below freezing?',
  'I am five foot nine, what frame size fits?',
  'Do kids balance bikes come with stabilisers?',
  'Could you true a buckled wheel by Friday?',
  'What is included with a basic tune-up?',
  'Do cargo bikes need a special licence here?',
  'Which pedals work with my cycling shoes?',
  'Is it worth upgrading the groupset on an older bike?',
  'How often should suspension forks get serviced?',
  'Can you order a frame in a custom colour?',
  'Do you repair folding bikes too?',
  'Which bottle cages fit a carbon frame safely?',
  'Are there group rides leaving from the shop?',
  'What pump works with both valve types?',
  'Could the workshop swap flat bars for drops?',
  'Thanks, and do you have reflective jackets in medium?',
  'Which bags are waterproof enough for rainy commutes?',
  'Does a dropper post fit my mountain bike?',
  'Is there a discount for students with a card?',
  'What spares should I carry on a long ride?',
  'Can an electric motor be added to my current bike?',
];

/** The reply the instant model gives: no figure, link or admission of not knowing, so no check fires. */
export const AGENT_REPLY = 'Thanks for your message! Happy to help with that.';
