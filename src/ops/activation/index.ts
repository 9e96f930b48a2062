// Activation family (unary elementwise, some with attributes).
import "./activations.js";
