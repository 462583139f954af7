// The cockpit in German, as the program shows it: the compiled translation (boocontrol_de.qm)
// and a German default locale. Every tr() call of our own must find its translation at run time
// (a context or source that lupdate read differently from the compiler would not), and numbers
// follow the locale. With BOO_SCREENSHOT_DIR set, the Settings dialog's language page is saved.

#include "core/alerts/alert.h"
#include "core/fleet/fleetstate.h"
#include "models/actionhistorymodel.h"
#include "models/formatting.h"
#include "views/hostcard.h"
#include "views/settingsdialog.h"
#include "views/statechip.h"
#include "views/usagebar.h"

#include <QComboBox>
#include <QLabel>
#include <QLibraryInfo>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

// Remembers every string of ours it was asked for and does not have.
class RecordingTranslator final : public QTranslator
{
public:
    QString translate(const char *context, const char *sourceText, const char *disambiguation, int n) const override
    {
        const QString found = QTranslator::translate(context, sourceText, disambiguation, n);
        const QByteArray ctx(context);
        if (found.isEmpty() && sourceText && *sourceText && (ctx.startsWith("boo::") || ctx == "Formatting" || ctx == "Cli"))
            misses << QString::fromUtf8(ctx + " / " + sourceText);
        return found;
    }
    mutable QStringList misses;
};

constexpr qint64 kNow = 1'790'000'000'000;

HostState host()
{
    HostState h;
    h.id = u"gpu1"_s;
    h.name = u"gpu-box"_s;
    h.baseUrl = u"http://10.0.0.11:8080"_s;
    h.liveness = Liveness::Connected;
    h.lastSeenMs = kNow;
    h.version = u"v250"_s;
    HostedModel ready;
    ready.id = u"qwen3-32b"_s;
    ready.state = ModelState::Ready;
    ready.ttlSeconds = 300;
    ready.stateSinceMs = kNow - 60'000;
    ready.lastUsedMs = kNow - 30'000;
    ready.inflight = 2;
    HostedModel stopped;
    stopped.id = u"llama-3.3-70b"_s;
    stopped.state = ModelState::Stopped;
    stopped.lastUsedMs = kNow - 5 * 86'400'000LL;
    h.models = {ready, stopped};
    GpuSample g;
    g.id = 0;
    g.memUsedMb = 20480;
    g.memTotalMb = 24576;
    g.tempC = 71;
    g.powerDrawW = 1300;
    g.gpuUtilPct = 87;
    h.gpus = {g};
    return h;
}

QStringList texts(const QWidget *w)
{
    QStringList out;
    for (const QLabel *l : w->findChildren<QLabel *>())
        out << l->text();
    for (const StateChip *c : w->findChildren<StateChip *>())
        out << c->text();
    for (const UsageBar *b : w->findChildren<UsageBar *>())
        out << b->text();
    return out;
}

} // namespace

class TestGermanUi : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    RecordingTranslator m_translator;
    QTranslator m_qt;

private Q_SLOTS:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(u"settings"_s));
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QVERIFY2(m_translator.load(QStringLiteral(BOO_TRANSLATIONS_DIR "/boocontrol_de.qm")), BOO_TRANSLATIONS_DIR);
        QCoreApplication::installTranslator(&m_translator);
        // Qt's own (dialog buttons) where the system has them, as the program loads them.
        if (m_qt.load(QLocale(), u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&m_qt);
    }

    void hostCard()
    {
        HostCard card;
        card.setHost(host(), {}, kNow);
        const QStringList shown = texts(&card);
        for (const QString &expected : {u"verbunden"_s, u"bereit"_s, u"gestoppt"_s, u"2 laufen"_s, u"genutzt vor 5 Tagen"_s,
                                        u"71 °C · 1.300 W · 87 % ausgelastet"_s, u"20,0 GB / 24,0 GB"_s})
            QVERIFY2(shown.contains(expected), qPrintable(expected + u" not in: "_s + shown.join(u" | "_s)));
        HostState down = host();
        down.liveness = Liveness::Down;
        down.lastSeenMs = kNow - 180'000;
        card.setHost(down, {}, kNow);
        QVERIFY2(texts(&card).contains(u"zuletzt gesehen vor 3 min"_s), qPrintable(texts(&card).join(u" | "_s)));
        QVERIFY2(m_translator.misses.isEmpty(), qPrintable(m_translator.misses.join(u'\n')));
    }

    void alertsAndActionHistory()
    {
        const Alert hot{Alert::Kind::TemperatureHigh, u"gpu1"_s, u"gpu-box"_s, 1, 88.4, 85, kNow, {}, {}, {}};
        QCOMPARE(hot.describe(), u"gpu-box: GPU 1 bei 88 °C (Schwellwert 85 °C)"_s);
        const Alert vram{Alert::Kind::VramHigh, u"gpu1"_s, u"gpu-box"_s, 0, 96, 95, kNow, {}, {}, {}};
        QCOMPARE(vram.describe(), u"gpu-box: GPU 0, VRAM bei 96 % (Schwellwert 95 %)"_s);
        FleetState fleet;
        ActionHistoryModel history(&fleet);
        history.addAlert(Alert{Alert::Kind::HostDown, u"gpu1"_s, u"gpu-box"_s, -1, 0, 0, kNow, {}, {}, {}});
        QCOMPARE(history.index(0, ActionHistoryModel::WhatColumn).data().toString(), u"Host ausgefallen"_s);
        QCOMPARE(history.index(0, ActionHistoryModel::MessageColumn).data().toString(), u"gpu-box ist ausgefallen"_s);
        QCOMPARE(history.headerData(ActionHistoryModel::StateColumn, Qt::Horizontal).toString(), u"Zustand"_s);
        QCOMPARE(formatting::duration(4200), u"4,20 s"_s);
        QVERIFY2(m_translator.misses.isEmpty(), qPrintable(m_translator.misses.join(u'\n')));
    }

    void settingsDialog()
    {
        SettingsDialog dialog(nullptr, u"Die Demo betreibt eine simulierte Flotte."_s, CockpitSettings());
        QCOMPARE(dialog.windowTitle(), u"Einstellungen"_s);
        auto *tabs = dialog.findChild<QTabWidget *>();
        QVERIFY(tabs);
        QStringList titles;
        for (int i = 0; i < tabs->count(); ++i)
            titles << tabs->tabText(i);
        QCOMPARE(titles, (QStringList{u"Provider"_s, u"Datenbank"_s, u"Aufbewahrung"_s, u"Warnungen"_s, u"Sprache"_s}));
        auto *language = dialog.findChild<QComboBox *>(u"language"_s);
        QVERIFY(language->itemText(0).startsWith(u"Sprache des Systems"_s));
        QVERIFY2(m_translator.misses.isEmpty(), qPrintable(m_translator.misses.join(u'\n')));
        if (const QString dir = qEnvironmentVariable("BOO_SCREENSHOT_DIR"); !dir.isEmpty()) {
            tabs->setCurrentIndex(tabs->count() - 1);
            dialog.resize(640, 300);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            QVERIFY(dialog.grab().save(dir + u"/settings-language-de.png"_s));
        }
    }
};

QTEST_MAIN(TestGermanUi)
#include "tst_germanui.moc"
