"""The Complaints Analysis (投诉统计分析) as each role opens it: the action,
its pivot, graph and list views with the measures management reads, the
menu only for those who report, the penalty amounts only for finance and
managers, and the figures load (grouped as the pivot and the graph ask)
without an access error."""

from lxml import etree

from odoo.tests import tagged

from .common import ComplaintCase

ACTION = "complaint_center.complaint_report_action"
TREND_ACTION = "complaint_center.complaint_report_action_trend"
MENU = "complaint_center.complaint_complaint_menu_analysis"
# The measures of the analysis: counts, on-time rates, handling times,
# satisfaction and return visits, compensation, corrective actions.
MEASURES = {
    "nbr",
    "ack_on_time",
    "resolve_on_time",
    "visit_on_time",
    "hours_to_acknowledge",
    "hours_to_resolve",
    "satisfied",
    "visited",
    "repeat_count",
    "compensation_amount",
    "action_count",
}

# Counts and amounts add up; rates and handling times are averaged.
SUMMED = {"nbr", "repeat_count", "compensation_amount", "action_count"}


@tagged("post_install", "-at_install")
class TestReportAnalysisViews(ComplaintCase):
    def _views(self, user, action):
        data = self.env["ir.actions.act_window"].with_user(user)._for_xml_id(action)
        Report = self.env[data["res_model"]].with_user(user)
        modes = data["view_mode"].split(",")
        views = Report.get_views(
            [
                (
                    data["view_id"] and data["view_id"][0]
                    if mode == modes[0]
                    else False,
                    mode,
                )
                for mode in modes
            ]
            + [(data["search_view_id"][0], "search")]
        )
        arches = {
            mode: etree.fromstring(view["arch"])
            for mode, view in views["views"].items()
        }
        return data, arches, views["models"][data["res_model"]]["fields"]

    def test_each_role_opens_the_analysis_with_its_measures(self):
        roles = (
            (self.manager, True, True),
            (self.executive, True, True),
            (self.finance, True, True),
            (self.handler, False, False),
            (self.user, False, False),
        )
        self._complaint(user=self.user)
        menu = self.env.ref(MENU)
        for user, reports, sees_penalties in roles:
            with self.subTest(user=user.login):
                visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
                # The menu and the Reporting menu above it.
                self.assertEqual({menu.id, menu.parent_id.id} <= visible, reports)
                data, arches, fields = self._views(user, ACTION)
                self.assertEqual(data["res_model"], "complaint.report")
                self.assertEqual(data["view_mode"], "pivot,graph,list")
                pivot, graph = arches["pivot"], arches["graph"]
                self.assertEqual(pivot.xpath("//field[@type='measure']/@name"), ["nbr"])
                self.assertEqual(
                    pivot.xpath("//field[@type='row']/@name"), ["category_id"]
                )
                self.assertEqual(
                    pivot.xpath("//field[@type='col']/@name"), ["date_received"]
                )
                self.assertEqual(graph.xpath("//field[@type='measure']/@name"), ["nbr"])
                # Every measure the pivot and graph offer is there.
                self.assertLessEqual(MEASURES, set(fields))
                self.assertEqual("penalty_amount" in fields, sees_penalties)
                self.assertEqual(
                    bool(arches["list"].xpath("//field[@name='penalty_amount']")),
                    sees_penalties,
                )
                # The figures load as the pivot asks for them.
                Report = self.env["complaint.report"].with_user(user)
                aggregates = [
                    f"{name}:{'sum' if name in SUMMED else 'avg'}"
                    for name in sorted(MEASURES)
                ]
                if sees_penalties:
                    aggregates.append("penalty_amount:sum")
                Report.read_group(
                    [], aggregates, ["category_id", "date_received:month"], lazy=False
                )
                Report.read_group([], aggregates, ["severity", "channel"], lazy=False)

    def test_trends_open_on_the_on_time_rate(self):
        for user in (self.manager, self.finance):
            with self.subTest(user=user.login):
                data, arches, fields = self._views(user, TREND_ACTION)
                self.assertEqual(data["view_mode"], "graph,pivot,list")
                graph = arches["graph"]
                self.assertEqual(graph.get("type"), "line")
                self.assertEqual(
                    graph.xpath("//field[@type='measure']/@name"), ["resolve_on_time"]
                )
                self.assertLessEqual(MEASURES, set(fields))
