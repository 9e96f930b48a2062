export { parseNpy, encodeNpy, readNpy, writeNpy } from "./npy.js";
export { readWav, writeWav, type WavAudio } from "./wav.js";
export {
  parseInputSpec, loadFeed, loadFeeds, randomFeeds, mulberry32, npyFileName, atomicWriteNpyFiles,
  type InputSpec, type LoadFeedOptions,
} from "./feeds.js";
