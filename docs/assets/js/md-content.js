// Material for MkDocs' tab restore (from its partials/javascripts/content.html), as a file for the CSP.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
