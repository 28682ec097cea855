export { type RecordingClock, recordingClock, seededRandom } from "./clock.js";
export { cutOffResponse } from "./response.js";
