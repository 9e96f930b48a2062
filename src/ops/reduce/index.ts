// Reduction family.
import "./reduce.js";
