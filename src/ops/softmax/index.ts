// Softmax family.
import "./softmax.js";
