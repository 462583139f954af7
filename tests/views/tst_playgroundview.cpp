// The Playground tab driven as a user would: two targets of a live simulated fleet side by side,
// one prompt, both answers streaming in with their own numbers.

#include "core/actions/hostaccess.h"
#include "core/client/localbackend.h"
#include "models/modelpickermodel.h"
#include "tests/common/livefleet.h"
#include "tests/gateway/gatewaytestutil.h"
#include "views/playgroundside.h"
#include "views/playgroundview.h"

#include <QCheckBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestPlaygroundView : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::LiveFleet> m_live;
    std::unique_ptr<LocalBackend> m_backend;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        // Different speeds, so the two sides cannot show the same numbers by accident.
        m_live = test::LiveFleet::start(
            {test::quickHost(u"fast-box"_s, {u"qwen3-8b"_s}, 300), test::quickHost(u"slow-box"_s, {u"qwen3-8b"_s}, 60)}, &error);
        QVERIFY2(m_live, qPrintable(error));
        QVERIFY(m_live->waitConnected());
        m_backend = std::make_unique<LocalBackend>(m_live->runtime());
    }

    void sideBySide()
    {
        PlaygroundView view(m_backend.get());
        view.resize(1200, 700);
        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(view.picker()->rowOf(u"slow-box"_s, u"qwen3-8b"_s) >= 0, 10000);
        view.sideA()->pick(u"fast-box"_s, u"qwen3-8b"_s);
        view.sideB()->pick(u"slow-box"_s, u"qwen3-8b"_s);
        view.findChild<QCheckBox *>(u"compare"_s)->setChecked(true);
        QVERIFY(view.sideB()->isVisible());

        view.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"Tell me about boats"_s);
        QTest::mouseClick(view.findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QVERIFY(view.sideA()->isStreaming());
        QVERIFY(view.sideB()->isStreaming());
        QVERIFY(view.findChild<QPushButton *>(u"stop"_s)->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!view.sideA()->isStreaming() && !view.sideB()->isStreaming(), 30000);

        for (PlaygroundSide *side : {view.sideA(), view.sideB()}) {
            QVERIFY2(side->transcript().startsWith(u"> Tell me about boats"_s), qPrintable(side->transcript()));
            QVERIFY(side->transcript().size() > u"> Tell me about boats"_s.size() + 10);
            QVERIFY2(side->statsText().contains(u"TTFT"_s), qPrintable(side->statsText()));
            QVERIFY2(side->statsText().contains(u"Host: prompt"_s), qPrintable(side->statsText()));
            QVERIFY(side->stats().tokens > 1);
        }
        // Each side measured its own host: the slow one decodes slower.
        QVERIFY(view.sideA()->stats().tokensPerSecond > view.sideB()->stats().tokensPerSecond);
        QVERIFY(!view.findChild<QPushButton *>(u"stop"_s)->isEnabled());

        // Swap sides; copy as curl shows both targets with the conversation so far.
        view.swapSides();
        QCOMPARE(view.sideA()->provider(), u"slow-box"_s);
        QCOMPARE(view.sideB()->provider(), u"fast-box"_s);
        view.findChild<QPlainTextEdit *>(u"prompt"_s)->setPlainText(u"And planes?"_s);
        const QString curl = view.copyAsCurl();
        const QString slowUrl = m_live->runtime()->access()->endpoint(u"slow-box"_s)->baseUrl().toString();
        QVERIFY2(curl.indexOf(slowUrl) >= 0 && curl.indexOf(slowUrl) < curl.indexOf(u"curl -N"_s, 5), qPrintable(curl));
        QVERIFY(curl.contains(u"Tell me about boats"_s) && curl.contains(u"And planes?"_s));
        QCOMPARE(curl.count(u"curl -N"_s), 2);

        // A broken extras box is reported, nothing is sent.
        view.findChild<QPlainTextEdit *>(u"extras"_s)->setPlainText(u"{oops"_s);
        QTest::mouseClick(view.findChild<QPushButton *>(u"send"_s), Qt::LeftButton);
        QVERIFY(!view.sideA()->isStreaming());
        QVERIFY(view.findChild<QLabel *>(u"problem"_s)->text().contains(u"extra JSON"_s));
    }
};

QTEST_MAIN(TestPlaygroundView)
#include "tst_playgroundview.moc"
