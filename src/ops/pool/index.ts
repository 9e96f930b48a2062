// Pooling family.
import "./pools.js";
