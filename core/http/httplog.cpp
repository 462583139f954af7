#include "core/http/httplog.h"

Q_LOGGING_CATEGORY(lcHttp, "boo.http", QtInfoMsg)
