#pragma once

#include "core/common/result.h"
#include "core/providers/providerconfig.h"

#include <QObject>

#include <functional>

namespace boo {

// Turns an ApiKeyRef ("env:NAME" / "keychain:NAME") into the secret itself.
// Environment variables answer at once; the system keychain (QtKeychain) answers asynchronously
// because it may be locked or ask the user. The secret is never logged or written to a file.
class SecretResolver final : public QObject
{
    Q_OBJECT

public:
    // The keychain "service" under which BooControl keeps its entries.
    static QString keychainService();

    explicit SecretResolver(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SecretResolver)

    using Callback = std::function<void(Result<QString>)>;
    void resolve(const ApiKeyRef &ref, Callback done);

    static Result<QString> resolveEnvironment(const QString &name);
    // resolve(), waited for in a local event loop: for the command-line programs, which have
    // nothing else to do meanwhile. Never from the cockpit's or the server's event loop.
    static Result<QString> resolveNow(const ApiKeyRef &ref);
    // Stores a secret in the system keychain under `name` (service keychainService()), so that
    // the registry can refer to it as "keychain:NAME". Answers asynchronously like resolve().
    void storeInKeychain(const QString &name, const QString &secret, std::function<void(Result<void>)> done);
};

} // namespace boo
