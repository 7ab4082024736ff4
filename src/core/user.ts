export type UserRole = 'owner' | 'staff';

export interface User {
  id: string;
  businessId: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
}
