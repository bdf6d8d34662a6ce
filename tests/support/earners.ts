// Plain values for the commission rules' tests: settings, users and a member group, with overrides.
import { defaultSettings, type Settings, type User, type UserGroup } from "../../lib/domain/entities.ts";

export const settings = (changes: Partial<Settings> = {}): Settings => ({
  ...defaultSettings(),
  seller_percent: 80,
  ...changes,
});

export const user = (id: number, changes: Partial<User> = {}): User => ({
  id,
  user_name: `u${id}`,
  email: "",
  phone: "",
  group_id: 1,
  parent_id: 0,
  is_retailer: 0,
  status: 1,
  ...changes,
});

export const group = (share_reward: number, parent_reward: number): UserGroup => ({
  id: 1,
  title: "g",
  status: 1,
  setting: { share_reward, parent_reward, discount: 0 },
});
