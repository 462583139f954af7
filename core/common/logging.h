#pragma once

#include <QLoggingCategory>

// One category per module, so `QT_LOGGING_RULES="boo.store.debug=true"` narrows the noise.
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcFleet)
Q_DECLARE_LOGGING_CATEGORY(lcApp)
Q_DECLARE_LOGGING_CATEGORY(lcGateway)
Q_DECLARE_LOGGING_CATEGORY(lcBench)
