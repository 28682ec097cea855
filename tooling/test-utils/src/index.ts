export {
  type ManualClock,
  manualClock,
  type RecordingClock,
  recordingClock,
  seededRandom,
} from "./clock.js";
export { byteForms, dataForms } from "./forms.js";
export { costRatio, costRatioAsync, cpuTimeAsync, growth, LINEAR_GROWTH } from "./growth.js";
export { cyclicCause, revokedProxy, throwingGetters, trapProxy } from "./hostile.js";
export { processEvents } from "./process-events.js";
export { byteAtATime, cutOffResponse } from "./response.js";
export { type CannedAnswer, type CannedServer, cannedServer } from "./server.js";
export { type StackShape, stackProblems } from "./stack.js";
export { thrown } from "./thrown.js";
