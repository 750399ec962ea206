/**
 * `lightning/platformShowToastEvent` for the preview. The page shell turns the event into a
 * `lightning/toast` of the base components (Lightning Experience's toast).
 */
export class ShowToastEvent extends CustomEvent {
    constructor(toast) {
        super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail: toast });
    }
}
