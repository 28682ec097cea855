import { measure } from "./mask.mjs";
const r = await measure({ runs: 5 });
console.log(r.rows.map((x) => `${x.label}: ${x.median.toFixed(1)}`).join("\n"));
