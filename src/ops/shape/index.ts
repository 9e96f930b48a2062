// Shape family: reshape/identity, permute, cat/split, slice/index_select, pad, cast.
import "./reshape.js";
import "./permute.js";
import "./concat.js";
import "./slice.js";
import "./pad.js";
import "./cast.js";
