#include "views/routingview.h"

#include "core/client/routingsource.h"
#include "models/rankingmodel.h"
#include "models/routepolicylistmodel.h"
#include "views/dispatchlogview.h"
#include "views/keysview.h"
#include "views/policyeditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace boo {

RoutingView::RoutingView(RoutingSource *source, QWidget *parent)
    : QWidget(parent)
    , m_source(source)
    , m_policies(new RoutePolicyListModel(this))
    , m_ranking(new RankingModel(this))
    , m_policyTable(new QTableView(this))
    , m_editor(new PolicyEditor(this))
    , m_rankingTable(new QTableView(this))
    , m_testSource(new QLineEdit(this))
    , m_testTokens(new QSpinBox(this))
    , m_testTools(new QCheckBox(tr("with tools"), this))
    , m_testEndpoint(new QComboBox(this))
    , m_save(new QPushButton(tr("Save"), this))
    , m_message(new QLabel(this))
    , m_log(new DispatchLogView(source, this))
    , m_keys(new KeysView(source, this))
{
    m_policyTable->setModel(m_policies);
    m_policyTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_policyTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_policyTable->verticalHeader()->hide();
    m_policyTable->horizontalHeader()->setSectionResizeMode(RoutePolicyListModel::CandidatesColumn, QHeaderView::Stretch);
    m_rankingTable->setModel(m_ranking);
    m_rankingTable->verticalHeader()->hide();
    // Host/model ids are what the user reads first: whole, with the reason taking the rest.
    QHeaderView *rankingHeader = m_rankingTable->horizontalHeader();
    rankingHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    rankingHeader->setSectionResizeMode(RankingModel::WhyColumn, QHeaderView::Stretch);

    auto *add = new QPushButton(tr("New"), this);
    auto *remove = new QPushButton(tr("Delete"), this);
    auto *up = new QPushButton(tr("Up"), this);
    auto *down = new QPushButton(tr("Down"), this);
    auto *revert = new QPushButton(tr("Revert"), this);
    m_save->setEnabled(false);
    auto *listButtons = new QHBoxLayout;
    for (QPushButton *b : {add, remove, up, down})
        listButtons->addWidget(b);
    listButtons->addStretch();
    listButtons->addWidget(revert);
    listButtons->addWidget(m_save);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(m_policyTable, 1);
    leftLayout->addLayout(listButtons);

    m_testSource->setPlaceholderText(tr("X-Boo-Source"));
    m_testTokens->setRange(0, 10'000'000);
    m_testTokens->setSingleStep(1000);
    m_testTokens->setSuffix(tr(" prompt tokens"));
    m_testEndpoint->addItem(tr("chat"), int(GatewayEndpoint::ChatCompletions));
    m_testEndpoint->addItem(tr("completions"), int(GatewayEndpoint::Completions));
    m_testEndpoint->addItem(tr("embeddings"), int(GatewayEndpoint::Embeddings));
    auto *test = new QPushButton(tr("Test against the fleet"), this);
    auto *testBar = new QHBoxLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{m_testSource, m_testTokens, m_testTools, m_testEndpoint, test})
        testBar->addWidget(w);
    auto *testBox = new QGroupBox(tr("How this policy ranks the fleet now"), this);
    auto *testLayout = new QVBoxLayout(testBox);
    testLayout->addLayout(testBar);
    testLayout->addWidget(m_rankingTable, 1);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->addWidget(m_editor, 1);
    rightLayout->addWidget(testBox, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    auto *policiesPage = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(policiesPage);
    pageLayout->addWidget(split, 1);
    pageLayout->addWidget(m_message);

    auto *tabs = new QTabWidget(this);
    tabs->addTab(policiesPage, tr("Policies"));
    tabs->addTab(m_log, tr("Dispatch log"));
    tabs->addTab(m_keys, tr("Keys"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tabs);

    connect(add, &QPushButton::clicked, this, &RoutingView::addPolicy);
    connect(remove, &QPushButton::clicked, this, &RoutingView::removeSelected);
    connect(up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveSelected(1); });
    connect(revert, &QPushButton::clicked, this, &RoutingView::reload);
    connect(m_save, &QPushButton::clicked, this, &RoutingView::save);
    connect(test, &QPushButton::clicked, this, &RoutingView::testSelected);
    connect(m_policies, &RoutePolicyListModel::dirtyChanged, m_save, &QPushButton::setEnabled);
    connect(m_policyTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RoutingView::showSelected);
    connect(m_editor, &PolicyEditor::edited, this, &RoutingView::applyEditor);
}

QString RoutingView::message() const
{
    return m_message->text();
}

void RoutingView::setMessage(const QString &text)
{
    m_message->setText(text);
}

int RoutingView::selectedRow() const
{
    return m_policyTable->currentIndex().isValid() ? m_policyTable->currentIndex().row() : -1;
}

void RoutingView::selectPolicy(int row)
{
    m_policyTable->setCurrentIndex(m_policies->index(row, RoutePolicyListModel::NameColumn));
}

void RoutingView::reload()
{
    if (!m_source)
        return;
    m_source->policies(this, [this](Result<QList<RoutePolicy>> policies) {
        if (!policies) {
            setMessage(tr("Cannot read the route policies: %1").arg(policies.error().message));
        } else {
            m_policies->setPolicies(*policies);
            setMessage(tr("%n route policy(ies)", nullptr, int(policies->size())));
            if (!policies->isEmpty())
                selectPolicy(0);
        }
        Q_EMIT answered();
    });
    m_log->refresh();
    m_keys->reload();
}

void RoutingView::save()
{
    if (!m_source)
        return;
    m_source->savePolicies(m_policies->policies(), this, [this](Result<QList<RoutePolicy>> saved) {
        if (!saved) {
            setMessage(tr("Not saved: %1").arg(saved.error().message));
        } else {
            const int row = selectedRow();
            m_policies->setPolicies(*saved);
            selectPolicy(qMin(row, int(saved->size()) - 1));
            setMessage(tr("Saved %n route policy(ies)", nullptr, int(saved->size())));
        }
        Q_EMIT answered();
    });
}

void RoutingView::testSelected()
{
    auto policy = m_editor->policy();
    if (!m_source || !policy) {
        if (!policy)
            setMessage(tr("Cannot test: %1").arg(policy.error().message));
        return;
    }
    RouteFacts facts;
    facts.source = m_testSource->text().trimmed().isEmpty() ? u"unknown"_s : m_testSource->text().trimmed();
    facts.promptTokens = m_testTokens->value();
    facts.hasTools = m_testTools->isChecked();
    facts.endpoint = GatewayEndpoint(m_testEndpoint->currentData().toInt());
    m_source->test(*policy, facts, this, [this](Result<RoutingSource::TestResult> result) {
        if (!result) {
            setMessage(tr("Test failed: %1").arg(result.error().message));
        } else {
            m_ranking->setRanking(result->ranking);
            const QString ranked = tr("%n candidate(s) would be tried", nullptr, int(result->ranking.ranked.size()));
            setMessage(result->ruleMatches ? ranked : tr("The rule does not take this request (%1); %2").arg(result->ruleMismatch, ranked));
        }
        Q_EMIT answered();
    });
}

void RoutingView::addPolicy()
{
    selectPolicy(m_policies->addPolicy(u"auto:new"_s));
}

void RoutingView::removeSelected()
{
    const int row = selectedRow();
    if (row >= 0)
        m_policies->removeRows(row, 1);
}

void RoutingView::moveSelected(int delta)
{
    const int row = selectedRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_policies->rowCount())
        return;
    // moveRows() takes the row the moved one lands before.
    if (m_policies->moveRows({}, row, 1, {}, delta > 0 ? to + 1 : to))
        selectPolicy(to);
}

void RoutingView::showSelected()
{
    const RoutePolicy *p = m_policies->policy(selectedRow());
    if (!p)
        return;
    m_showing = true;
    m_editor->setPolicy(*p);
    m_showing = false;
    m_ranking->setRanking({});
}

void RoutingView::applyEditor()
{
    if (m_showing)
        return;
    auto policy = m_editor->policy();
    if (!policy) {
        setMessage(policy.error().message);
        return;
    }
    if (!m_policies->setPolicy(selectedRow(), *policy))
        setMessage(tr("Another policy is already called %1").arg(policy->name));
    else
        setMessage({});
}

} // namespace boo
