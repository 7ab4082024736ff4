export interface ProductVariant {
  id: string;
  sku: string | null;
  title: string;
  options: Record<string, string>;
  /** Price in minor units of the business currency (pence, cents). */
  priceMinor: number;
  compareAtMinor: number | null;
  /** Units in stock; null when the business does not track stock for it. */
  stock: number | null;
}

export interface Product {
  id: string;
  businessId: string;
  handle: string;
  title: string;
  description: string;
  category: string | null;
  tags: string[];
  status: 'active' | 'draft' | 'archived';
  variants: ProductVariant[];
}

export interface Service {
  id: string;
  businessId: string;
  slug: string;
  name: string;
  description: string;
  durationMinutes: number;
  bufferMinutes: number;
  priceMinor: number;
}

export interface FaqEntry {
  id: string;
  businessId: string;
  question: string;
  answer: string;
  /** 'file' while exactly as the business file wrote it; 'console' once created or edited there. */
  source: 'file' | 'console';
  /** The question as the business file asks it (how start-up sync finds it); null if created in the console. */
  fileQuestion: string | null;
  updatedAt: Date;
}

/** An FAQ entry as start-up sync sees it: with its place and, for deleted file entries, when. */
export interface FaqRecord extends FaqEntry {
  position: number;
  deletedAt: Date | null;
}
