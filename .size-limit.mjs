// Size budgets: core's, and each protocol package's from its package.json (tooling/size/entries.mjs).
import { sizeEntries } from "./tooling/size/entries.mjs";

export default sizeEntries();
