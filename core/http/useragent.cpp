#include "core/http/useragent.h"

namespace boo {

namespace {
constexpr QByteArrayView kProduct = "BooControl/";
}

QByteArray booUserAgent()
{
    return QByteArrayLiteral("BooControl/" BOO_VERSION_STRING);
}

bool isBooUserAgent(QByteArrayView userAgent)
{
    return userAgent.startsWith(kProduct);
}

} // namespace boo
