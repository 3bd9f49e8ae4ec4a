// GNU readline and its history library, as one module for Swift.
#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>
