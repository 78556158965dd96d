/** @odoo-module **/
/* A complaint is registered on purpose. Odoo saves a dirty form when its
 * user leaves it (breadcrumb, menu, browser Back, closing the tab, another
 * tab): for a new complaint that registers, numbers and routes it silently,
 * half typed. Leaving a new complaint that was typed in asks instead:
 * register it, discard it, or keep editing. Complaints already registered
 * keep Odoo's behaviour. (The server still refuses a complaint without its
 * category and description.) */

import { router } from "@web/core/browser/router";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { FormController } from "@web/views/form/form_controller";
import { formView } from "@web/views/form/form_view";
import { ComplaintLeaveDialog } from "./complaint_leave_dialog";

export class ComplaintFormController extends FormController {
    setup() {
        super.setup();
        this.actionService = useService("action");
        // An editor being typed in is dirty before it tells the record.
        this.fieldIsDirty = false;
        useBus(this.model.bus, "FIELD_IS_DIRTY", (ev) => (this.fieldIsDirty = ev.detail));
    }

    /** A new complaint with something typed in (the editors' pending text
     * included). */
    async isUnregistered() {
        const record = this.model.root;
        return record.isNew && !this.env.inDialog && (await record.isDirty());
    }

    askBeforeLeaving() {
        return new Promise((resolve) => {
            this.dialogService.add(
                ComplaintLeaveDialog,
                { choose: resolve },
                { onClose: () => resolve("stay") }
            );
        });
    }

    async beforeLeave() {
        if (!(await this.isUnregistered())) {
            return super.beforeLeave();
        }
        const choice = await this.askBeforeLeaving();
        if (choice === "register") {
            return this.save({ reload: false, onError: this.onSaveError.bind(this) });
        }
        if (choice === "discard") {
            await this.model.root.discard();
            return true;
        }
        // Browser Back already changed the address: show this form's again.
        const state = this.actionService.currentController?.state;
        if (state) {
            router.pushState(state, { replace: true });
        }
        return false;
    }

    async beforeUnload(ev) {
        const record = this.model.root;
        if (!record.isNew || this.env.inDialog) {
            return super.beforeUnload(ev);
        }
        if (record.dirty || this.fieldIsDirty) {
            // The browser asks whether to leave; nothing is registered.
            ev.preventDefault();
            ev.returnValue = "Unsaved changes";
        }
    }

    beforeVisibilityChange() {
        // Looking at another tab does not register the complaint.
        if (this.model.root.isNew) {
            return;
        }
        return super.beforeVisibilityChange();
    }
}

registry.category("views").add("complaint_form", {
    ...formView,
    Controller: ComplaintFormController,
});
