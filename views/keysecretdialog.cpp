#include "views/keysecretdialog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace boo {

KeySecretDialog::KeySecretDialog(const QString &name, const QString &secret, QWidget *parent)
    : QDialog(parent)
    , m_secret(new QLineEdit(secret, this))
{
    setWindowTitle(tr("Consumer key %1").arg(name));
    auto *warning = new QLabel(tr("<b>Copy this key now.</b> It is shown only this once: BooControl keeps only a hash of it "
                                  "and cannot show it again. If it is lost, rotate the key."),
                               this);
    warning->setWordWrap(true);
    warning->setObjectName(QStringLiteral("keyWarning"));
    m_secret->setReadOnly(true);
    m_secret->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_secret->setMinimumWidth(m_secret->fontMetrics().horizontalAdvance(secret) + 24);
    m_secret->selectAll();
    auto *copy = new QPushButton(tr("Copy"), this);
    auto *row = new QHBoxLayout;
    row->addWidget(m_secret, 1);
    row->addWidget(copy);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setText(tr("I have stored it"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(warning);
    layout->addLayout(row);
    layout->addWidget(buttons);
    connect(copy, &QPushButton::clicked, this, [this, copy] {
        copyToClipboard();
        copy->setText(tr("Copied"));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
}

QString KeySecretDialog::shownSecret() const
{
    return m_secret->text();
}

void KeySecretDialog::copyToClipboard()
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(m_secret->text());
}

} // namespace boo
