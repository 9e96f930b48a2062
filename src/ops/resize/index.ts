// Resize family.
import "./upsample.js";
