import type { DetailedHTMLProps, HTMLAttributes } from "react";

// App Bridge's navigation web component (rendered only inside the Shopify admin).
declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "ui-nav-menu": DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement>;
    }
  }
}
