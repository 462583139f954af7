#include "core/providers/secretresolver.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>

using namespace Qt::StringLiterals;

namespace boo {

QString SecretResolver::keychainService()
{
    return u"boocontrol"_s;
}

SecretResolver::SecretResolver(QObject *parent)
    : QObject(parent)
{
}

Result<QString> SecretResolver::resolveEnvironment(const QString &name)
{
    const QByteArray value = qgetenv(name.toLocal8Bit().constData());
    if (value.isEmpty())
        return makeError(u"secret.missing"_s, u"environment variable %1 is not set (or empty)"_s.arg(name));
    return QString::fromLocal8Bit(value);
}

Result<QString> SecretResolver::resolveNow(const ApiKeyRef &ref)
{
    if (ref.store == ApiKeyRef::Store::Environment)
        return resolveEnvironment(ref.name);
    SecretResolver resolver;
    QEventLoop loop;
    Result<QString> secret = makeError(u"secret.keychain"_s, u"the keychain did not answer"_s);
    resolver.resolve(ref, [&](Result<QString> resolved) {
        secret = std::move(resolved);
        loop.quit();
    });
    loop.exec();
    return secret;
}

void SecretResolver::resolve(const ApiKeyRef &ref, Callback done)
{
    if (ref.store == ApiKeyRef::Store::Environment) {
        done(resolveEnvironment(ref.name));
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(keychainService(), this);
    job->setAutoDelete(true);
    job->setKey(ref.name);
    connect(job, &QKeychain::Job::finished, this, [job, name = ref.name, done = std::move(done)] {
        if (job->error() != QKeychain::NoError) {
            done(makeError(u"secret.keychain"_s,
                           u"cannot read keychain entry '%1' (service '%2'): %3"_s.arg(name, keychainService(), job->errorString())));
            return;
        }
        done(job->textData());
    });
    job->start();
}

void SecretResolver::storeInKeychain(const QString &name, const QString &secret, std::function<void(Result<void>)> done)
{
    auto *job = new QKeychain::WritePasswordJob(keychainService(), this);
    job->setAutoDelete(true);
    job->setKey(name);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [job, name, done = std::move(done)] {
        if (job->error() != QKeychain::NoError) {
            done(makeError(u"secret.keychain"_s,
                           u"cannot store keychain entry '%1' (service '%2'): %3"_s.arg(name, keychainService(), job->errorString())));
            return;
        }
        done({});
    });
    job->start();
}

} // namespace boo
