#include "views/dispatchlogview.h"

#include "core/client/routingsource.h"
#include "models/dispatchlogfiltermodel.h"
#include "models/dispatchlogmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

DispatchLogView::DispatchLogView(RoutingSource *source, QWidget *parent)
    : QWidget(parent)
    , m_source(source)
    , m_model(new DispatchLogModel(this))
    , m_filter(new DispatchLogFilterModel(this))
    , m_text(new QLineEdit(this))
    , m_status(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
    , m_message(new QLabel(this))
{
    m_filter->setSourceModel(m_model);
    m_text->setPlaceholderText(tr("Filter by source, model, policy or host"));
    m_text->setClearButtonEnabled(true);
    m_status->addItem(tr("Any status"));
    for (int c : {2, 4, 5})
        m_status->addItem(tr("%1xx").arg(c), c);
    auto *refresh = new QPushButton(tr("Refresh"), this);
    auto *older = new QPushButton(tr("Older"), this);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_text, 1);
    bar->addWidget(m_status);
    bar->addWidget(refresh);
    bar->addWidget(older);

    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DispatchLogModel::TimeColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_details->setReadOnly(true);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(m_message);

    connect(m_text, &QLineEdit::textChanged, m_filter, &DispatchLogFilterModel::setText);
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant c = m_status->currentData();
        m_filter->setStatusClass(c.isValid() ? std::optional<int>(c.toInt()) : std::nullopt);
    });
    connect(refresh, &QPushButton::clicked, this, &DispatchLogView::refresh);
    connect(older, &QPushButton::clicked, this, &DispatchLogView::loadOlder);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DispatchLogView::showDetails);
}

void DispatchLogView::refresh()
{
    if (!m_source)
        return;
    GatewayLogFilter filter;
    filter.limit = kPageSize;
    m_source->log(filter, this, [this](Result<GatewayLogPage> page) {
        if (!page) {
            m_message->setText(tr("Cannot read the dispatch log: %1").arg(page.error().message));
        } else {
            m_model->setEntries(page->entries);
            m_message->setText(tr("%n request(s)", nullptr, int(page->entries.size())));
        }
        Q_EMIT loaded();
    });
}

void DispatchLogView::loadOlder()
{
    const auto oldest = m_model->oldestId();
    if (!m_source || !oldest)
        return;
    GatewayLogFilter filter;
    filter.limit = kPageSize;
    filter.beforeId = oldest;
    m_source->log(filter, this, [this](Result<GatewayLogPage> page) {
        if (!page)
            m_message->setText(tr("Cannot read the dispatch log: %1").arg(page.error().message));
        else
            m_model->appendOlder(page->entries);
        Q_EMIT loaded();
    });
}

QString DispatchLogView::details() const
{
    return m_details->toPlainText();
}

void DispatchLogView::showDetails()
{
    const QModelIndex current = m_filter->mapToSource(m_table->currentIndex());
    const GatewayLogEntry *entry = m_model->entry(current.row());
    if (!entry) {
        m_details->clear();
        return;
    }
    QStringList lines;
    lines << tr("Request %1: %2 asked for %3 (%4)")
                 .arg(entry->row.dispatchId, entry->row.source, entry->row.requestedModel, entry->row.endpoint);
    if (!entry->row.error.isEmpty())
        lines << tr("Error: %1").arg(entry->row.error);
    lines << QString() << tr("Attempts:");
    for (const QJsonValue &a : QJsonDocument::fromJson(entry->row.attemptsJson.toUtf8()).array()) {
        const QJsonObject o = a.toObject();
        lines << u"  %1/%2: %3 (%4 ms)"_s
                     .arg(o.value(u"provider"_s).toString(), o.value(u"model"_s).toString(), o.value(u"outcome"_s).toString())
                     .arg(o.value(u"ms"_s).toInteger());
    }
    lines << QString() << tr("Candidates:");
    for (const QJsonValue &c : QJsonDocument::fromJson(entry->row.candidatesJson.toUtf8()).array()) {
        const QJsonObject o = c.toObject();
        lines << u"  %1/%2 [%3]: %4"_s.arg(o.value(u"provider"_s).toString(), o.value(u"model"_s).toString(),
                                           o.value(u"tier"_s).toString(u"–"_s), o.value(u"outcome"_s).toString());
    }
    m_details->setPlainText(lines.join(u'\n'));
}

} // namespace boo
