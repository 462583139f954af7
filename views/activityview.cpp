#include "views/activityview.h"

#include "core/fleet/fleetstate.h"
#include "models/activitymodel.h"
#include "models/formatting.h"
#include "models/tokentotalsmodel.h"
#include "views/cachedtextdelegate.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

constexpr qint64 kMinute = 60'000;
// Range choices: their data is the span in ms; 0 = everything, -1 = custom.
const QList<std::pair<const char *, qint64>> kRanges{{QT_TRANSLATE_NOOP("boo::ActivityView", "Last 15 minutes"), 15 * kMinute},
                                                     {QT_TRANSLATE_NOOP("boo::ActivityView", "Last hour"), 60 * kMinute},
                                                     {QT_TRANSLATE_NOOP("boo::ActivityView", "Last 24 hours"), 24 * 60 * kMinute},
                                                     {QT_TRANSLATE_NOOP("boo::ActivityView", "Last 7 days"), 7 * 24 * 60 * kMinute},
                                                     {QT_TRANSLATE_NOOP("boo::ActivityView", "All history"), 0},
                                                     {QT_TRANSLATE_NOOP("boo::ActivityView", "Custom\u2026"), -1}};

} // namespace

ActivityView::ActivityView(ActivityModel *model, TokenTotalsModel *totals, FleetState *fleet, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_totalsModel(totals)
    , m_fleet(fleet)
    , m_host(new QComboBox(this))
    , m_modelFilter(new QComboBox(this))
    , m_status(new QComboBox(this))
    , m_source(new QLineEdit(this))
    , m_text(new QLineEdit(this))
    , m_range(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_table(new QTableView(this))
    , m_totals(new QTableView(this))
    , m_statusLine(new QLabel(this))
{
    m_modelFilter->setEditable(true);
    m_modelFilter->setMinimumContentsLength(14);
    m_host->setMinimumContentsLength(10);
    m_status->addItem(tr("Any status"), 0);
    for (int c : {2, 4, 5})
        m_status->addItem(tr("%1xx").arg(c), c);
    m_source->setPlaceholderText(tr("Source"));
    m_source->setToolTip(tr("X-Boo-Source of gateway traffic; \u201c-\u201d for requests without one"));
    m_text->setPlaceholderText(tr("Search model, path, error (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    m_text->setObjectName(u"activityText"_s);
    for (const auto &[label, span] : kRanges)
        m_range->addItem(tr(label), span);
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(formatting::dateTimeEditFormat());
        edit->setVisible(false);
    }
    m_from->setDateTime(QDateTime::currentDateTime().addSecs(-3600));
    m_to->setDateTime(QDateTime::currentDateTime());

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_host);
    bar->addWidget(m_modelFilter);
    bar->addWidget(m_status);
    bar->addWidget(m_source);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_range);
    bar->addWidget(m_from);
    bar->addWidget(m_to);

    m_table->setModel(model);
    m_table->setItemDelegate(new CachedTextDelegate(m_table));
    m_table->setObjectName(u"activityTable"_s);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ActivityModel::TimeColumn, 120);
    m_table->setColumnWidth(ActivityModel::ModelColumn, 170);
    m_table->setColumnWidth(ActivityModel::PathColumn, 150);

    m_totals->setModel(totals);
    m_totals->setObjectName(u"totalsTable"_s);
    m_totals->verticalHeader()->setVisible(false);
    m_totals->horizontalHeader()->setSectionResizeMode(TokenTotalsModel::NameColumn, QHeaderView::Stretch);
    m_totals->verticalHeader()->setDefaultSectionSize(m_totals->fontMetrics().height() + 6);
    m_totals->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (int column :
         {TokenTotalsModel::RequestsColumn, TokenTotalsModel::InputColumn, TokenTotalsModel::CachedColumn, TokenTotalsModel::OutputColumn})
        m_totals->setColumnWidth(column, 130);
    auto *totalsBox = new QWidget(this);
    auto *totalsLayout = new QVBoxLayout(totalsBox);
    totalsLayout->setContentsMargins(0, 4, 0, 0);
    totalsLayout->addWidget(new QLabel(tr("Token totals for the filtered range"), totalsBox));
    totalsLayout->addWidget(m_totals);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(totalsBox);
    m_splitter->setStretchFactor(0, 4);
    m_splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 4);
    layout->addLayout(bar);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(m_statusLine);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &ActivityView::applyFilter);
    for (QComboBox *combo : {m_host, m_status})
        connect(combo, &QComboBox::currentIndexChanged, this, &ActivityView::applyFilter);
    connect(m_modelFilter, &QComboBox::currentTextChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_range, &QComboBox::currentIndexChanged, this, [this] {
        const bool custom = m_range->currentData().toLongLong() < 0;
        m_from->setVisible(custom);
        m_to->setVisible(custom);
        applyFilter();
    });
    for (QLineEdit *edit : {m_source, m_text})
        connect(edit, &QLineEdit::textChanged, &m_debounce, qOverload<>(&QTimer::start));
    for (QDateTimeEdit *edit : {m_from, m_to})
        connect(edit, &QDateTimeEdit::dateTimeChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_table, &QTableView::doubleClicked, this, &ActivityView::onActivated);
    connect(m_table, &QTableView::customContextMenuRequested, this, &ActivityView::showContextMenu);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &ActivityView::updateStatus);
    connect(model, &QAbstractItemModel::modelReset, this, &ActivityView::updateStatus);
    connect(model, &ActivityModel::loadFailed, this, &ActivityView::updateStatus);
    connect(model, &ActivityModel::pageLoaded, this, &ActivityView::updateStatus);
    connect(fleet, &FleetState::hostAdded, this, &ActivityView::refreshChoices);
    connect(fleet, &FleetState::reset, this, &ActivityView::refreshChoices);

    refreshChoices();
    restoreState();
    applyFilter();
}

ActivityView::~ActivityView()
{
    saveState();
}

void ActivityView::refreshChoices()
{
    const QSignalBlocker hostBlock(m_host);
    const QSignalBlocker modelBlock(m_modelFilter);
    const QString host = m_host->currentData().toString();
    const QString model = m_modelFilter->currentText();
    m_host->clear();
    m_host->addItem(tr("All hosts"), QString());
    QStringList models;
    for (const QString &id : m_fleet->hostIds()) {
        const auto view = m_fleet->host(id);
        m_host->addItem(view->name.isEmpty() ? id : view->name, id);
        for (const HostedModel &m : view->models) {
            if (!models.contains(m.id))
                models << m.id;
        }
    }
    models.sort();
    m_modelFilter->clear();
    m_modelFilter->addItem(QString());
    m_modelFilter->addItems(models);
    m_modelFilter->lineEdit()->setPlaceholderText(tr("All models"));
    m_host->setCurrentIndex(std::max(0, m_host->findData(host)));
    m_modelFilter->setEditText(model);
}

RequestFilter ActivityView::currentFilter() const
{
    RequestFilter filter;
    filter.host = m_host->currentData().toString();
    const QString model = m_modelFilter->currentText().trimmed();
    if (!model.isEmpty())
        filter.models = {model};
    if (const int status = m_status->currentData().toInt())
        filter.statusClass = status;
    filter.source = m_source->text().trimmed();
    filter.text = m_text->text().trimmed();
    const qint64 span = m_range->currentData().toLongLong();
    if (span > 0) {
        filter.sinceMs = QDateTime::currentMSecsSinceEpoch() - span;
    } else if (span < 0) {
        filter.sinceMs = m_from->dateTime().toMSecsSinceEpoch();
        filter.untilMs = m_to->dateTime().toMSecsSinceEpoch();
    }
    return filter;
}

void ActivityView::applyFilter()
{
    m_debounce.stop();
    const RequestFilter filter = currentFilter();
    m_model->setFilter(filter);
    m_totalsModel->setFilter(filter);
    updateStatus();
}

void ActivityView::refresh()
{
    applyFilter();
}

void ActivityView::focusFilter()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void ActivityView::updateStatus()
{
    QString text = tr("%n requests shown", nullptr, m_model->rowCount() - m_model->inFlightCount());
    if (m_model->inFlightCount() > 0)
        text += u" · "_s + tr("%n in flight", nullptr, m_model->inFlightCount());
    if (m_model->isFetching() && m_model->searchedSinceMs())
        text += u" · "_s
            + tr("searching, back to %1\u2026").arg(formatting::date(QDateTime::fromMSecsSinceEpoch(*m_model->searchedSinceMs())));
    else if (m_model->isFetching())
        text += u" · "_s + tr("loading\u2026");
    else if (!m_model->isExhausted())
        text += u" · "_s + tr("scroll for older requests");
    if (!m_model->lastError().isEmpty())
        text += u" · "_s + tr("history unavailable: %1 (F5 to retry)").arg(m_model->lastError());
    m_statusLine->setText(text);
}

void ActivityView::onActivated(const QModelIndex &index)
{
    const auto kind = ActivityModel::RowKind(index.data(ActivityModel::RowKindRole).toInt());
    const QString host = index.data(ActivityModel::HostIdRole).toString();
    if (kind == ActivityModel::RowKind::InFlight) {
        Q_EMIT cancelRequested(host, index.data(ActivityModel::InFlightIdRole).toString());
        return;
    }
    const QVariant capture = index.data(ActivityModel::CaptureIdRole);
    if (capture.isValid())
        Q_EMIT captureRequested(host, capture.toLongLong());
}

void ActivityView::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    QMenu menu(this);
    const QString host = index.data(ActivityModel::HostIdRole).toString();
    if (ActivityModel::RowKind(index.data(ActivityModel::RowKindRole).toInt()) == ActivityModel::RowKind::InFlight) {
        const QString id = index.data(ActivityModel::InFlightIdRole).toString();
        menu.addAction(tr("Cancel this request"), this, [this, host, id] { Q_EMIT cancelRequested(host, id); });
    } else if (const QVariant capture = index.data(ActivityModel::CaptureIdRole); capture.isValid()) {
        menu.addAction(tr("Open capture"), this, [this, host, id = capture.toLongLong()] { Q_EMIT captureRequested(host, id); });
    }
    menu.addAction(tr("Copy row"), this, [this, row = index.row()] {
        QStringList cells;
        for (int c = 0; c < m_model->columnCount(); ++c)
            cells << m_model->index(row, c).data().toString();
        QApplication::clipboard()->setText(cells.join(u'\t'));
    });
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

void ActivityView::saveState() const
{
    QSettings settings;
    settings.beginGroup(u"activity"_s);
    settings.setValue(u"header"_s, m_table->horizontalHeader()->saveState());
    settings.setValue(u"totalsHeader"_s, m_totals->horizontalHeader()->saveState());
    settings.setValue(u"splitter"_s, m_splitter->saveState());
    settings.setValue(u"host"_s, m_host->currentData());
    settings.setValue(u"model"_s, m_modelFilter->currentText());
    settings.setValue(u"status"_s, m_status->currentIndex());
    settings.setValue(u"source"_s, m_source->text());
    settings.setValue(u"text"_s, m_text->text());
    settings.setValue(u"range"_s, m_range->currentIndex());
}

void ActivityView::restoreState()
{
    QSettings settings;
    settings.beginGroup(u"activity"_s);
    m_table->horizontalHeader()->restoreState(settings.value(u"header"_s).toByteArray());
    m_totals->horizontalHeader()->restoreState(settings.value(u"totalsHeader"_s).toByteArray());
    m_splitter->restoreState(settings.value(u"splitter"_s).toByteArray());
    const QSignalBlocker blockers[] = {QSignalBlocker(m_host),   QSignalBlocker(m_modelFilter), QSignalBlocker(m_status),
                                       QSignalBlocker(m_source), QSignalBlocker(m_text),        QSignalBlocker(m_range)};
    m_host->setCurrentIndex(std::max(0, m_host->findData(settings.value(u"host"_s).toString())));
    m_modelFilter->setEditText(settings.value(u"model"_s).toString());
    m_status->setCurrentIndex(std::clamp(settings.value(u"status"_s, 0).toInt(), 0, m_status->count() - 1));
    m_source->setText(settings.value(u"source"_s).toString());
    m_text->setText(settings.value(u"text"_s).toString());
    // A custom range is not restored: its times belong to the session that chose them.
    const int range = settings.value(u"range"_s, 1).toInt();
    m_range->setCurrentIndex(range >= 0 && range < m_range->count() - 1 ? range : 1);
}

} // namespace boo
