// The functions are all inline, in include/masked_vectors.h; a C target needs a source file.
#include "masked_vectors.h"
