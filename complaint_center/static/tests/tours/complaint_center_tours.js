/** @odoo-module **/
/* Tours of a complaint's life, one per person who acts on it. The Python
 * test (tests/test_tours.py) creates the data, runs them in order in
 * headless Chromium and checks the records between them. Selectors use
 * field and button names, never labels, so the same tours run with the
 * interface in English and in Chinese. */

import { registry } from "@web/core/registry";
import { download } from "@web/core/network/download";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const tours = registry.category("web_tour.tours");

function fieldInput(name) {
    return `.o_form_view .o_field_widget[name='${name}'] input`;
}

function pickMany2one(name, text) {
    return [
        { content: `Type in ${name}`, trigger: fieldInput(name), run: `edit ${text}` },
        {
            content: `Pick ${text}`,
            trigger: `.o-autocomplete--dropdown-item a:contains('${text}')`,
            run: "click",
        },
    ];
}

// The fields show the values (inputs, the address's text area, or text
// when read only).
function complainantReads(values) {
    return Object.entries(values).map(([name, value]) => {
        const field = `.o_form_view .o_field_widget[name='${name}']`;
        return {
            content: `${name} still reads ${value}`,
            trigger: `${field} input:value('${value}'), ${field} textarea:value('${value}'), ${field}:not(:has(input, textarea)):contains('${value}')`,
        };
    });
}

function clickButton(name, content) {
    return {
        content,
        trigger: `.o_form_view .o_form_statusbar button[name='${name}']`,
        run: "click",
    };
}

function stateIs(state) {
    return {
        content: `The complaint is now ${state}`,
        trigger: `.o_form_view .o_statusbar_status button[data-value='${state}'].o_arrow_button_current`,
    };
}

// Leaving a new complaint asks (static/src/views/complaint_form_controller.js).
function leaveDialogAnswer(answer, content) {
    return [
        { content: "Leaving asks what to do with the new complaint", trigger: ".modal .o_complaint_leave_dialog" },
        { content, trigger: `.modal .o_complaint_leave_${answer}`, run: "click" },
    ];
}

function openPage(name) {
    return {
        content: `Open the ${name} page`,
        trigger: `.o_notebook .nav-link[name='${name}']`,
        run: "click",
    };
}

function openComplaint() {
    // The tours after the first start on the complaint's or penalty's form
    // (the test gives its URL; the breadcrumb leads back to the list).
    return [{ content: "The form is open", trigger: ".o_form_view .o_form_statusbar" }];
}

// Downloads go through the web client's download(); record that the server
// answered (a PDF or XLSX came back) without leaving the page.
function watchDownloads() {
    return {
        content: "Watch the downloads",
        trigger: "body",
        run() {
            const original = download._download;
            download._download = async (options) => {
                await original(options);
                document.body.dataset.ccDownloads = (
                    Number(document.body.dataset.ccDownloads || 0) + 1
                ).toString();
            };
        },
    };
}

tours.add("complaint_center_log_from_order", {
    steps: () => [
        {
            content: "Open the order of the complaining customer",
            trigger: ".o_list_view .o_data_row:contains('Tourtest Foods') .o_data_cell[name='name']",
            run: "click",
        },
        // Issue 23 item 13: a half-typed complaint is not registered by leaving it.
        clickButton("action_log_complaint", "Log a complaint against the order"),
        {
            content: "Start typing what happened",
            trigger: ".o_field_widget[name='description'] .odoo-editor-editable p",
            run: "editor The customer phoned about",
        },
        {
            content: "The browser's Back button",
            trigger: ".o_field_widget[name='description']:contains('The customer phoned about')",
            run() {
                history.back();
            },
        },
        ...leaveDialogAnswer("stay", "Keep editing"),
        {
            content: "The typed text is still there",
            trigger: ".o_form_view .o_form_editable .o_field_widget[name='description']:contains('The customer phoned about')",
        },
        {
            content: "Back to the order by the breadcrumb",
            trigger: ".o_breadcrumb .breadcrumb-item.o_back_button a",
            run: "click",
        },
        ...leaveDialogAnswer("discard", "Discard the half-typed complaint"),
        {
            content: "Back on the order, nothing registered",
            trigger: ".o_form_view .o_form_statusbar button[name='action_log_complaint']",
        },
        clickButton("action_log_complaint", "Log a complaint against the order"),
        { content: "A new complaint form", trigger: ".o_form_view .o_form_editable" },
        {
            content: "The form starts empty again",
            trigger: ".o_field_widget[name='description']:not(:contains('The customer phoned about'))",
        },
        {
            content: "The order is filled in",
            trigger: ".o_field_widget[name='sale_order_id'] input:value(/S\\d+/)",
        },
        ...pickMany2one("category_id", "Tourtest Quality"),
        ...pickMany2one("sale_line_pick_ids", "Tourtest Widget"),
        {
            content: "The order line is picked",
            trigger: ".o_field_widget[name='sale_line_pick_ids'] .o_tag:contains('Tourtest Widget')",
        },
        {
            content: "The contact's name",
            trigger: fieldInput("complainant_name"),
            run: "edit Zhang Wei",
        },
        {
            content: "A major case",
            trigger: ".o_field_widget[name='severity'] select",
            run: 'select "major"',
        },
        {
            content: "What happened",
            trigger: ".o_field_widget[name='description'] .odoo-editor-editable p",
            run: "editor The widget housing cracked on first use.",
        },
        ...stepUtils.saveForm(),
        {
            content: "The complaint got its reference",
            trigger: ".o_form_view .oe_title h1 .o_field_widget[name='name']:not(:contains('New'))",
        },
        stateIs("new"),
    ],
});

tours.add("complaint_center_handler_investigates", {
    steps: () => [
        ...openComplaint(),
        clickButton("action_accept", "Accept the complaint as valid"),
        stateIs("investigating"),
        // Issue 23 item 1: one complainant field edited, the others kept.
        {
            content: "Correct the complainant's phone only",
            trigger: fieldInput("complainant_phone"),
            run: "edit +86 21 5555 0101",
        },
        ...stepUtils.saveForm(),
        {
            content: "Reload the page",
            trigger: ".o_form_view .o_form_saved",
            run() {
                location.reload();
            },
        },
        ...complainantReads({
            complainant_phone: "+86 21 5555 0101",
            complainant_name: "Zhang Wei",
            complainant_email: "zhang.wei@tour.test",
            complainant_address: "Tourtest Road",
        }),
        openPage("responsibility"),
        {
            content: "Add a responsibility line",
            trigger: ".o_field_widget[name='responsibility_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "The employee at fault",
            trigger: ".o_field_widget[name='responsibility_ids'] .o_selected_row .o_field_widget[name='employee_id'] input",
            run: "edit Tourtest Packer",
        },
        {
            content: "Pick the employee",
            trigger: ".o-autocomplete--dropdown-item a:contains('Tourtest Packer')",
            run: "click",
        },
        {
            content: "Their share",
            trigger: ".o_field_widget[name='responsibility_ids'] .o_selected_row .o_field_widget[name='share'] input",
            run: "edit 100",
        },
        {
            content: "The cause",
            trigger: ".o_field_widget[name='responsibility_ids'] .o_selected_row .o_field_widget[name='cause'] textarea",
            run: "edit Packed without the foam insert.",
        },
        // Issue 23 item 8: straight to the resolution page, the line unsaved.
        openPage("resolution"),
        {
            content: "The resolution page shows",
            trigger: ".o_notebook .tab-pane .o_field_widget[name='resolution_type'] select",
        },
        openPage("responsibility"),
        {
            content: "The line is still there",
            trigger: ".o_field_widget[name='responsibility_ids'] .o_data_row:contains('Tourtest Packer')",
        },
        ...stepUtils.saveForm(),
        openPage("resolution"),
        {
            content: "Refund the customer",
            trigger: ".o_field_widget[name='resolution_type'] select",
            run: 'select "refund"',
        },
        {
            content: "Compensation",
            trigger: fieldInput("compensation_amount"),
            run: "edit 300",
        },
        {
            content: "The plan",
            trigger: ".o_field_widget[name='resolution'] .odoo-editor-editable p",
            run: "editor Refund 300 and replace the widget within 3 days.",
        },
        ...stepUtils.saveForm(),
        clickButton("action_propose", "Propose the plan"),
        stateIs("proposed"),
    ],
});

tours.add("complaint_center_manager_approves", {
    steps: () => [
        ...openComplaint(),
        clickButton("action_approve", "Approve the plan"),
        {
            content: "The form says who acts next",
            trigger: ".o_form_view .o_field_widget[name='next_step_note']:not(:empty)",
        },
        {
            content: "Open the resolution page",
            trigger: ".o_notebook .nav-link[name='resolution']",
            run: "click",
        },
        {
            content: "Approved by the manager, still waiting for the executive",
            trigger: ".o_form_view .o_field_widget[name='approved_by_id']:contains('Tourtest Manager')",
        },
        stateIs("proposed"),
    ],
});

tours.add("complaint_center_executive_approves", {
    steps: () => [
        ...openComplaint(),
        {
            content: "Open the resolution page",
            trigger: ".o_notebook .nav-link[name='resolution']",
            run: "click",
        },
        {
            content: "The manager's approval is shown",
            trigger: ".o_form_view .o_field_widget[name='approved_by_id']:contains('Tourtest Manager')",
        },
        clickButton("action_approve", "Approve the plan as general manager"),
        stateIs("approved"),
    ],
});

tours.add("complaint_center_handler_resolves", {
    steps: () => [
        ...openComplaint(),
        clickButton("action_resolve", "Mark the complaint resolved"),
        stateIs("resolved"),
        clickButton("action_record_visit", "Record the return visit"),
        {
            content: "How the customer was visited",
            trigger: ".modal .o_field_widget[name='method'] select",
            run: 'select "phone"',
        },
        {
            content: "The customer is satisfied",
            trigger: ".modal .o_field_widget[name='satisfaction'] select",
            run: 'select "satisfied"',
        },
        {
            content: "What the customer said",
            trigger: ".modal .o_field_widget[name='result'] textarea, .modal .o_field_widget[name='result'] input",
            run: "edit New widget works, refund received.",
        },
        {
            content: "Save the visit",
            trigger: ".modal .modal-footer .o_form_button_save, .modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The visit is counted",
            trigger: ".o_form_view button[name='action_view_visits'] .o_stat_value:contains('1')",
        },
        {
            content: "Open the feedback page",
            trigger: ".o_notebook .nav-link[name='feedback']",
            run: "click",
        },
        {
            content: "The satisfaction came from the visit",
            trigger: ".o_notebook .o_field_widget[name='satisfaction']",
        },
        // Issue 23 item 10: the default Open filter keeps the resolved
        // complaints waiting for their return visit.
        {
            content: "Back to the complaints",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The Open filter is on",
            trigger: ".o_searchview .o_searchview_facet",
        },
        {
            content: "The resolved complaint is listed",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tourtest Foods'), .o_list_view .o_data_row:contains('Tourtest Foods')",
        },
    ],
});

// The Penalties count of the form: remembered, then waited for to grow
// (the form reloads after the notification).
const PENALTY_COUNT = ".o_form_view button[name='action_view_penalties'] .o_stat_value";

function rememberPenaltyCount() {
    return {
        content: "The penalties proposed at approval",
        trigger: PENALTY_COUNT,
        run() {
            document.body.dataset.ccPenalties = this.anchor.textContent.trim();
        },
    };
}

function penaltyCountGrew() {
    return {
        content: "The reloaded form shows the new count",
        trigger: PENALTY_COUNT,
        async run() {
            const before = Number(document.body.dataset.ccPenalties);
            for (let tries = 0; tries < 150; tries++) {
                const count = Number(document.querySelector(PENALTY_COUNT)?.textContent);
                if (count > before) {
                    return;
                }
                // Polls the count (up to 15 s); returns as soon as it grew.
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            throw new Error(`The Penalties count did not grow from ${before}`);
        },
    };
}

function notification(kind, content) {
    return [
        { content, trigger: `.o_notification:has(.o_notification_bar.bg-${kind})` },
        { content: "Close it", trigger: ".o_notification .o_notification_close", run: "click" },
        { content: "It is gone", trigger: "body:not(:has(.o_notification))" },
    ];
}

tours.add("complaint_center_manager_closes", {
    steps: () => [
        ...openComplaint(),
        // Issue 23 item 12: Propose Penalties says what it did. (The test
        // added a rule after the approval: one penalty is missing.)
        rememberPenaltyCount(),
        clickButton("action_propose_penalties", "Propose the missing penalties"),
        ...notification("success", "Told how many were proposed"),
        penaltyCountGrew(),
        clickButton("action_propose_penalties", "Propose again"),
        ...notification("info", "Told that none is missing"),
        clickButton("action_close", "Close the complaint"),
        stateIs("closed"),
    ],
});

tours.add("complaint_center_manager_confirms_penalty", {
    steps: () => [
        ...openComplaint(),
        clickButton("action_confirm", "Confirm the penalty"),
        stateIs("confirmed"),
    ],
});

tours.add("complaint_center_finance_applies_penalty", {
    steps: () => [
        ...openComplaint(),
        clickButton("action_approve", "Approve the penalty"),
        stateIs("approved"),
        {
            content: "The payroll period",
            trigger: fieldInput("payroll_period"),
            run: "edit 2026-12",
        },
        ...stepUtils.saveForm(),
        clickButton("action_apply", "Apply it in the payroll period"),
        {
            content: "Yes, apply it",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        stateIs("applied"),
    ],
});

tours.add("complaint_center_manager_prints", {
    steps: () => [
        watchDownloads(),
        ...openComplaint(),
        {
            content: "Open the gear menu",
            trigger: ".o_form_view .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Open its Print entries",
            trigger: ".o-dropdown--menu button:has(.fa-print)",
            run: "click",
        },
        {
            content: "Print the complaint form",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Complaint Record and Handling Form'), .o-dropdown--menu .o-dropdown-item:contains('顾客投诉登记处理表')",
            run: "click",
        },
        { content: "The PDF came back", trigger: "body[data-cc-downloads='1']" },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Switch to the list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Select the complaint",
            trigger: ".o_data_row:contains('Tourtest Foods') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the Print menu of the selection",
            trigger: ".o_cp_action_menus button:has(.fa-print)",
            run: "click",
        },
        {
            content: "Download the register",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Complaint Register (XLSX)'), .o-dropdown--menu .o-dropdown-item:contains('投诉台账（XLSX）')",
            run: "click",
        },
        { content: "The XLSX came back", trigger: "body[data-cc-downloads='2']" },
    ],
});

tours.add("complaint_center_portal_submits", {
    steps: () => [
        {
            content: "Submit a new complaint",
            trigger: "a[href='/my/complaints/new']",
            run: "click",
        },
        {
            content: "Against one of my orders",
            trigger: "select#complaint_sale_order",
            run: "selectByIndex 1",
        },
        {
            content: "What happened",
            trigger: "textarea#complaint_description",
            run: "edit The gift box arrived crushed.",
        },
        { content: "Send it", trigger: "form.o_complaint_portal_form button[type='submit']", run: "click" },
        {
            content: "My complaint, received",
            trigger: "#complaint_content:contains('The gift box arrived crushed.')",
        },
        {
            content: "Back to my complaints",
            trigger: "a[href^='/my/complaints']:not([href*='new']):first",
            run: "click",
        },
        {
            content: "Follow it from the list",
            trigger: "tr:contains('The gift box') a[href^='/my/complaints/'], .o_portal_my_doc_table a[href^='/my/complaints/']:first",
            run: "click",
        },
        {
            content: "Write a reply",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit The box was photographed, see attached.",
        },
        {
            content: "Send the reply",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The reply is in the thread",
            trigger: "#chatterRoot:shadow .o-mail-Message-body:contains('The box was photographed')",
        },
    ],
});

// Run after the Chinese main path: the closed complaint reads in Chinese.
tours.add("complaint_center_reads_chinese", {
    steps: () => [
        ...openComplaint(),
        {
            content: "The status bar says closed (已结案)",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('已结案')",
        },
        {
            content: "The responsibility page (责任认定)",
            trigger: ".o_notebook .nav-link[name='responsibility']:contains('责任认定')",
        },
    ],
});

// Issue 23 item 3: a complaint routed to nobody reaches the intake team,
// with a to-do.
tours.add("complaint_center_intake_finds_unrouted", {
    steps: () => [
        {
            content: "The unrouted complaint is in my Open complaints",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tourtest Nobody')",
            run: "click",
        },
        { content: "Its form opens", trigger: ".o_form_view .o_form_statusbar" },
        {
            content: "A to-do asks me to route it",
            trigger: ".o-mail-Chatter .o-mail-Activity:contains('Tourtest Intake')",
        },
    ],
});
