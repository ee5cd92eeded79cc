#include <gtest/gtest.h>

#include "j2k_decode.h"
#include "test_support.h"

// Filled by the JPEG 2000 work.
