#include "views/keysview.h"

#include "core/client/routingsource.h"
#include "models/consumerkeymodel.h"
#include "views/keydialog.h"
#include "views/keysecretdialog.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace boo {

KeysView::KeysView(RoutingSource *source, QWidget *parent)
    : QWidget(parent)
    , m_source(source)
    , m_model(new ConsumerKeyModel(this))
    , m_table(new QTableView(this))
    , m_edit(new QPushButton(tr("Edit limits"), this))
    , m_toggle(new QPushButton(tr("Disable"), this))
    , m_rotate(new QPushButton(tr("Rotate"), this))
    , m_revoke(new QPushButton(tr("Revoke"), this))
    , m_message(new QLabel(this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ConsumerKeyModel::LimitsColumn, QHeaderView::Stretch);

    auto *add = new QPushButton(tr("New key"), this);
    auto *refresh = new QPushButton(tr("Refresh"), this);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {add, m_edit, m_toggle, m_rotate, m_revoke})
        buttons->addWidget(b);
    buttons->addStretch();
    buttons->addWidget(refresh);
    auto *intro = new QLabel(tr("Each consumer of the gateway gets its own key: its requests are counted as its source, and it "
                                "can be limited. Keys are shown once, when created or rotated."),
                             this);
    intro->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_message);

    connect(add, &QPushButton::clicked, this, &KeysView::openCreateDialog);
    connect(m_edit, &QPushButton::clicked, this, &KeysView::openEditDialog);
    connect(m_toggle, &QPushButton::clicked, this, [this] {
        const RoutingSource::KeyRow *row = m_model->row(m_table->currentIndex().row());
        if (row)
            setSelectedDisabled(!row->key.disabled);
    });
    connect(m_rotate, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(this, tr("Rotate key"),
                                  tr("Give %1 a new key? The current key stops working at once.").arg(selectedName()))
            == QMessageBox::Yes)
            rotateSelected();
    });
    connect(m_revoke, &QPushButton::clicked, this, [this] {
        if (QMessageBox::question(
                this, tr("Revoke key"),
                tr("Revoke %1? It stops working at once and cannot be used again; its name stays taken.").arg(selectedName()))
            == QMessageBox::Yes)
            revokeSelected();
    });
    connect(refresh, &QPushButton::clicked, this, &KeysView::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &KeysView::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &KeysView::updateButtons);
    updateButtons();
}

void KeysView::setSecretPresenter(std::function<void(const QString &, const QString &)> presenter)
{
    m_presentSecret = std::move(presenter);
}

QString KeysView::message() const
{
    return m_message->text();
}

void KeysView::setMessage(const QString &text)
{
    m_message->setText(text);
}

QString KeysView::selectedName() const
{
    const RoutingSource::KeyRow *row = m_model->row(m_table->currentIndex().row());
    return row ? row->key.name() : QString();
}

void KeysView::selectKey(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row >= 0)
        m_table->setCurrentIndex(m_model->index(row, ConsumerKeyModel::NameColumn));
}

void KeysView::updateButtons()
{
    const RoutingSource::KeyRow *row = m_model->row(m_table->currentIndex().row());
    const bool usable = row && !row->key.revokedAtMs;
    for (QPushButton *b : {m_edit, m_toggle, m_rotate, m_revoke})
        b->setEnabled(usable);
    m_toggle->setText(row && row->key.disabled ? tr("Enable") : tr("Disable"));
}

void KeysView::reload()
{
    if (!m_source)
        return;
    m_source->keys(this, [this](Result<QList<RoutingSource::KeyRow>> rows) {
        if (!rows) {
            setMessage(tr("Cannot read the consumer keys: %1").arg(rows.error().message));
        } else {
            const QString selected = selectedName();
            m_model->setKeys(*rows, QDateTime::currentMSecsSinceEpoch());
            selectKey(selected);
            setMessage(rows->isEmpty() ? tr("No consumer keys yet: without keys, the gateway works as before (one token for everyone).")
                                       : tr("%n consumer key(s)", nullptr, int(rows->size())));
            updateButtons();
        }
        Q_EMIT answered();
    });
}

void KeysView::showSecret(const IssuedKey &issued)
{
    if (m_presentSecret)
        return m_presentSecret(issued.key.name(), issued.secret);
    KeySecretDialog dialog(issued.key.name(), issued.secret, this);
    dialog.exec();
}

void KeysView::create(const ConsumerKeySpec &spec)
{
    if (!m_source)
        return;
    m_source->createKey(spec, this, [this](Result<IssuedKey> issued) {
        if (!issued) {
            setMessage(tr("Not created: %1").arg(issued.error().message));
        } else {
            m_model->updateKey(issued->key);
            selectKey(issued->key.name());
            setMessage(tr("Created %1").arg(issued->key.name()));
            showSecret(*issued);
        }
        Q_EMIT answered();
    });
}

void KeysView::editSelected(const ConsumerKeyEdit &edit)
{
    const QString name = selectedName();
    if (!m_source || name.isEmpty())
        return;
    m_source->editKey(name, edit, this, [this](Result<ConsumerKey> key) {
        if (!key) {
            setMessage(tr("Not changed: %1").arg(key.error().message));
        } else {
            m_model->updateKey(*key);
            setMessage(tr("Changed %1").arg(key->name()));
        }
        Q_EMIT answered();
    });
}

void KeysView::setSelectedDisabled(bool disabled)
{
    ConsumerKeyEdit edit;
    edit.disabled = disabled;
    editSelected(edit);
}

void KeysView::rotateSelected()
{
    const QString name = selectedName();
    if (!m_source || name.isEmpty())
        return;
    m_source->rotateKey(name, this, [this](Result<IssuedKey> issued) {
        if (!issued) {
            setMessage(tr("Not rotated: %1").arg(issued.error().message));
        } else {
            m_model->updateKey(issued->key);
            setMessage(tr("Rotated %1: the old key no longer works").arg(issued->key.name()));
            showSecret(*issued);
        }
        Q_EMIT answered();
    });
}

void KeysView::revokeSelected()
{
    const QString name = selectedName();
    if (!m_source || name.isEmpty())
        return;
    m_source->revokeKey(name, this, [this](Result<ConsumerKey> key) {
        if (!key) {
            setMessage(tr("Not revoked: %1").arg(key.error().message));
        } else {
            m_model->updateKey(*key);
            setMessage(tr("Revoked %1").arg(key->name()));
            updateButtons();
        }
        Q_EMIT answered();
    });
}

void KeysView::openCreateDialog()
{
    KeyDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (auto spec = dialog.spec())
        create(*spec);
}

void KeysView::openEditDialog()
{
    const RoutingSource::KeyRow *row = m_model->row(m_table->currentIndex().row());
    if (!row)
        return;
    KeyDialog dialog(row->key, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    auto edit = dialog.edit();
    if (!edit)
        return setMessage(edit.error().message);
    if (edit->isEmpty())
        return setMessage(tr("Nothing changed"));
    editSelected(*edit);
}

} // namespace boo
