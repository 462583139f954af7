#include "core/common/logging.h"

Q_LOGGING_CATEGORY(lcStore, "boo.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFleet, "boo.fleet", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApp, "boo.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcGateway, "boo.gateway", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBench, "boo.bench", QtInfoMsg)
