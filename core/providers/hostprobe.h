#pragma once

#include "core/common/result.h"
#include "core/protocol/versioninfo.h"

#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QObject;

namespace boo {

// "Test connection" for a provider before it is saved: GET /api/version with the key, then the
// answer in words a person can act on (unreachable, wrong key, not llama-swap, version).
class HostProbe final
{
public:
    using Callback = std::function<void(Result<VersionInfo>)>;
    static void probe(QNetworkAccessManager *nam, const QUrl &baseUrl, const QString &apiKey, QObject *context, Callback done,
                      int timeoutMs = 5000);
};

} // namespace boo
