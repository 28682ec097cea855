export {
  LINEAR_BUDGET_MS,
  type ManualClock,
  manualClock,
  type RecordingClock,
  recordingClock,
  seededRandom,
} from "./clock.js";
export { cyclicCause, revokedProxy, throwingGetters, trapProxy } from "./hostile.js";
export { byteAtATime, cutOffResponse } from "./response.js";
