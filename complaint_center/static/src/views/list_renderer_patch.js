/** @odoo-module **/
/* Issue 23 item 8: "Oops! Something went wrong" (TypeError in
 * ListRenderer.focusCell) on switching from the Responsibility page to the
 * Resolution page right after typing a responsibility line. The line's last
 * field commits when it loses the focus, so its inline-edited list patches in
 * the same frame as the notebook switches pages; the list then focuses its
 * edited row one tick after the patch (onPatched awaits a microtask), when
 * the notebook has already destroyed it, and reads the table it no longer
 * has. A destroyed list has no cell to focus: do nothing. (The same guard as
 * odoo/odoo#232097.) */

import { status } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { ListRenderer } from "@web/views/list/list_renderer";

patch(ListRenderer.prototype, {
    focusCell(column, forward) {
        if (status(this) === "destroyed" || !this.tableRef.el) {
            return;
        }
        return super.focusCell(column, forward);
    },
});
