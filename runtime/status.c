#include "tact/status.h"

const char *tact_strerror(tact_status status) {
    switch (status) {
    case TACT_OK: return "ok";
    case TACT_ETIMEDOUT: return "timed out";
    case TACT_EDEAD: return "dead actor";
    case TACT_EHANDLER: return "handler failed";
    case TACT_ECANCELED: return "cancelled";
    case TACT_EDEADLK: return "deadlock: actors are waiting on each other";
    case TACT_EINVAL: return "bad argument";
    case TACT_ENOMEM: return "out of memory";
    case TACT_ENOTFOUND: return "not found";
    case TACT_ENAMETAKEN: return "name already taken";
    case TACT_EXSYSTEM: return "reference belongs to another system";
    case TACT_ESYS: return "the operating system refused";
    }
    return status > 0 ? "application error" : "unknown error";
}
