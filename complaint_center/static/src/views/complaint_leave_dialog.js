/** @odoo-module **/

import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";

/** Asked when leaving a new complaint: register, discard or keep editing. */
export class ComplaintLeaveDialog extends Component {
    static template = "complaint_center.ComplaintLeaveDialog";
    static components = { Dialog };
    static props = { choose: Function, close: Function };

    choose(choice) {
        this.props.choose(choice);
        this.props.close();
    }
}
