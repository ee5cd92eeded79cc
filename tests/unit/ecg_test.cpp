#include <gtest/gtest.h>

#include "confrere/imaging/ecg.h"
#include "test_support.h"

// Filled by the ECG work.
