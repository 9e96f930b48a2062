// Linear algebra family.
import "./linear.js";
