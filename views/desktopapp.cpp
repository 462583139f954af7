#include "views/desktopapp.h"

#include "core/client/cockpitsettings.h"
#include "core/client/localbackend.h"
#include "core/client/remotebackend.h"
#include "core/client/remotefleetclient.h"
#include "core/common/logging.h"
#include "core/common/terminationsignals.h"
#include "core/providers/providerregistry.h"
#include "core/providers/secretresolver.h"
#include "views/mainwindow.h"

#include <QApplication>
#include <QEventLoop>
#include <QIcon>
#include <QSettings>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// The database chosen in Settings; its password waits in the keychain (a few seconds at most).
std::optional<DatabaseUrl> settingsDatabase(const CockpitSettings &settings)
{
    if (!settings.database)
        return std::nullopt;
    DatabaseUrl url = *settings.database;
    if (url.dialect == SqlDialect::Postgres && url.password.isEmpty() && !url.user.isEmpty()) {
        SecretResolver secrets;
        QEventLoop loop;
        secrets.resolve(ApiKeyRef{ApiKeyRef::Store::Keychain, QString::fromLatin1(CockpitSettings::kDatabasePasswordEntry)},
                        [&](Result<QString> password) {
                            if (password)
                                url.password = *password;
                            loop.quit();
                        });
        QTimer::singleShot(5000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return url;
}

int failWith(const QString &message, int code)
{
    std::fprintf(stderr, "boocontrol: %s\n", qUtf8Printable(message));
    return code;
}

} // namespace

int DesktopApp::run(QApplication &app, DesktopOptions options)
{
    QApplication::setWindowIcon(QIcon(u":/boocontrol/icons/boocontrol.svg"_s));
    QSettings store;
    const CockpitSettings settings = CockpitSettings::load(store);
    quitOnTerminationSignals(&app);

    std::unique_ptr<CockpitBackend> backend;
    std::unique_ptr<FleetRuntime> runtime;
    QString providersNote;
    ProviderRegistry *registry = nullptr;
    if (!options.attachUrl.isEmpty()) {
        auto url = RemoteFleetClient::controlUrl(options.attachUrl);
        if (!url)
            return failWith(url.error().message, 2);
        auto remote = std::make_unique<RemoteBackend>(*url, options.token);
        remote->start();
        providersNote = QApplication::translate("boo::DesktopApp",
                                                "This cockpit is attached to %1: its hosts are the providers "
                                                "configured on that server.")
                            .arg(url->toDisplayString());
        backend = std::move(remote);
    } else {
        if (!options.databaseExplicit && !options.demo) {
            if (const auto chosen = settingsDatabase(settings))
                options.runtime.database = *chosen;
        }
        options.runtime.history.retention = settings.retention;
        auto created = FleetRuntime::create(options.runtime);
        if (!created)
            return failWith(created.error().message, 1);
        runtime = std::move(created).value();
        runtime->start();
        registry = runtime->registry();
        if (options.demo)
            providersNote = QApplication::translate("boo::DesktopApp",
                                                    "The demo runs a simulated fleet; its providers are not "
                                                    "read from a file. Start boocontrol without --demo to "
                                                    "manage your own hosts.");
        backend = std::make_unique<LocalBackend>(runtime.get());
    }

    int exitCode = 0;
    {
        MainWindow window(backend.get(), registry, providersNote, settings);
        window.show();
        exitCode = app.exec();
        window.close();
    }
    qCInfo(lcApp) << "stopping";
    backend.reset();
    if (runtime)
        runtime->stop();
    return exitCode;
}

} // namespace boo
