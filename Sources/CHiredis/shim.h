// System library shim for hiredis (libhiredis-dev): SwitchboardRedis uses only its RESP parser
// (redisReader) and command formatter (redisFormatCommandArgv), never its sockets.
#ifndef SWITCHBOARD_CHIREDIS_SHIM_H
#define SWITCHBOARD_CHIREDIS_SHIM_H

#include <hiredis/hiredis.h>
#include <hiredis/read.h>

#endif
