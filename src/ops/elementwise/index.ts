// Elementwise family: unary table, binary table with broadcasting, logical ops.
import "./unary.js";
import "./binary.js";
import "./logical.js";
