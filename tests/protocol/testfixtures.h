#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

// Reads a fixture below tests/data/llama-swap (path relative to it). Fails the current test when
// the file is missing, so a renamed fixture can never turn a test into a silent no-op.
inline QByteArray readFixture(const QString &relativePath)
{
    QFile file(QStringLiteral(BOO_TEST_DATA_DIR "/llama-swap/") + relativePath);
    if (!file.open(QIODevice::ReadOnly)) {
        QTest::qFail(qPrintable(QStringLiteral("cannot open fixture ") + file.fileName()), __FILE__, __LINE__);
        return {};
    }
    return file.readAll();
}
