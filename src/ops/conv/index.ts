// Convolution family.
import "./convolution.js";
