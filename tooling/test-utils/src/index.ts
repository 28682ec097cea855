export { type RecordingClock, recordingClock, seededRandom } from "./clock.js";
