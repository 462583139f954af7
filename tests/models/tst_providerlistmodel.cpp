#include "core/providers/providerregistry.h"
#include "models/providerlistmodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

class TestProviderListModel : public QObject
{
    Q_OBJECT

    static void write(const QString &path, const QByteArray &content)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(content);
    }

private Q_SLOTS:
    void showsProvidersAndFollowsReloads()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"p.json"_s);
        write(path,
              "{\"providers\":[{\"id\":\"gpu1\",\"name\":\"GPU 1\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://a:8080\","
              "\"apiKey\":\"keychain:gpu1\",\"tags\":[\"code\",\"fast\"]}]}");
        ProviderRegistry registry(path);
        registry.reload();

        ProviderListModel model(&registry);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.columnCount(), int(ProviderListModel::ColumnCount));
        QCOMPARE(model.index(0, ProviderListModel::IdColumn).data().toString(), u"gpu1"_s);
        QCOMPARE(model.index(0, ProviderListModel::NameColumn).data().toString(), u"GPU 1"_s);
        QCOMPARE(model.index(0, ProviderListModel::KindColumn).data().toString(), u"llama-swap"_s);
        QCOMPARE(model.index(0, ProviderListModel::BaseUrlColumn).data().toString(), u"http://a:8080"_s);
        QCOMPARE(model.index(0, ProviderListModel::ApiKeyColumn).data().toString(), u"keychain:gpu1"_s);
        QCOMPARE(model.index(0, ProviderListModel::TagsColumn).data().toString(), u"code, fast"_s);
        QCOMPARE(model.index(0, ProviderListModel::EnabledColumn).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QCOMPARE(model.index(0, 3).data(ProviderListModel::ProviderIdRole).toString(), u"gpu1"_s);
        QCOMPARE(model.headerData(ProviderListModel::BaseUrlColumn, Qt::Horizontal).toString(), u"Base URL"_s);

        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        write(path,
              "{\"providers\":[{\"id\":\"gpu1\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://a:8080\",\"enabled\":false},"
              "{\"id\":\"mac\",\"kind\":\"llama-swap\",\"baseUrl\":\"http://mac:8080\"}]}");
        registry.reload();
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, ProviderListModel::EnabledColumn).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QCOMPARE(model.index(1, ProviderListModel::IdColumn).data().toString(), u"mac"_s);

        // Nothing changed: no reset.
        registry.reload();
        QCOMPARE(reset.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestProviderListModel)
#include "tst_providerlistmodel.moc"
