// Recurrent family.
import "./lstm.js";
