#pragma once

#include <QLoggingCategory>

// QT_LOGGING_RULES="boo.http.debug=true" shows connection-level detail.
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
