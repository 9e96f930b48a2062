/*
 * cmsis-lower portable CMSIS-NN subset: int16 sigmoid / tanh by interpolation in a 256-entry table of
 * sigmoid(i/24) in unsigned 0.16 (tanh(x) = 2 sigmoid(2x) - 1; both odd-symmetric, so only |x| is looked up).
 * The caller's input scaling is 3 * 2^left_shift (TFLite Micro's int16 LOGISTIC / TANH), which puts x on the
 * table's i/24 grid in steps of 2^-9 (sigmoid) or 2^-8 (tanh, the doubled argument).
 */
#include "arm_nnsupportfunctions.h"

/*
 * sigmoid(i/24) in 0.16, each node raised by half the chord error at its segment's middle, then rounded; 65535 at
 * the top (the definition: sigmoidTableU16 in src/kernels/activation_s16.ts, which generated these values). The symbol has the library's
 * name so one vector driver reads either build's table (test/vectors/s16 compares them entry by entry).
 */
const uint16_t sigmoid_table_uint16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
    43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
    51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
    61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
    63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
    65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
    65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
    65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535
};

arm_cmsis_nn_status arm_nn_activation_s16(const int16_t *input,
                                          int16_t *output,
                                          const int32_t size,
                                          const int32_t left_shift,
                                          const arm_nn_activation_type type)
{
    const int sigmoid = type == ARM_SIGMOID;
    const int32_t idx_shift = sigmoid ? 9 : 8;
    const int32_t frac_mask = sigmoid ? 0x1ff : 0xff;
    const int32_t saturated = sigmoid ? (0x7fff << 10) : (0xffff << 8);
    const int32_t mult = left_shift < 0 ? 3 : 3 * (1 << left_shift);
    const int32_t rshift = left_shift < 0 ? -left_shift : 0;
    const int32_t rounding = rshift > 0 ? 1 << (rshift - 1) : 0;
    int32_t i;
    for (i = 0; i < size; i++)
    {
        const int32_t x = arm_nn_asr32(arm_nn_add_wrap(arm_nn_mul_wrap(input[i], mult), rounding), rshift);
        const int32_t ax = x > 0 ? x : -x;
        const int32_t uh = ax >> idx_shift;
        int32_t r;
        if (uh >= 255)
        {
            r = saturated;
        }
        else
        {
            const int32_t ua = sigmoid_table_uint16[uh];
            const int32_t ub = sigmoid_table_uint16[uh + 1];
            r = ua * (1 << idx_shift) + (ax & frac_mask) * (ub - ua);
        }
        /* Below zero the curve is mirrored (1 - sigmoid, -tanh); both halves round half up. */
        if (sigmoid)
        {
            output[i] = (int16_t)((x >= 0 ? r + 512 : (1 << 25) - r + 511) >> 10);
        }
        else
        {
            output[i] = (int16_t)arm_nn_asr32(x >= 0 ? r - (1 << 23) + 128 : (1 << 23) - r + 127, 8);
        }
    }
    return ARM_CMSIS_NN_SUCCESS;
}
