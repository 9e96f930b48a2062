// Layout family.
import "./clone_dim_order.js";
