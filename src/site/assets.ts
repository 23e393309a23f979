// The site's own stylesheet and script, written once to assets/. The script only enhances: every
// page works without it (the index's category links are plain anchors; search needs the script
// and stays hidden without it).
export const CSS = `*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f6f7f9}
a{color:#0b57d0}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
header.site{background:#1b1f24;color:#fff;padding:.75rem 1rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header.site a{color:#fff;text-decoration:none;font-weight:600}header.site a[aria-current]{text-decoration:underline}
main{max-width:72rem;margin:0 auto;padding:1rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#0b57d0;padding:.25rem .5rem;z-index:2}
.cats{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
.cats a{display:inline-block;padding:.2rem .6rem;border:1px solid #c4c9d0;border-radius:1rem;background:#fff;text-decoration:none}
form.find{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;margin:1rem 0}
form.find label{display:flex;flex-direction:column;font-size:.875rem;font-weight:600}
form.find input,form.find select{font:inherit;padding:.4rem .5rem;border:1px solid #8a929c;border-radius:.3rem;min-width:14rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.75rem;padding:0;list-style:none}
.t{position:relative;background:#fff;border:1px solid #d5d9de;border-radius:.5rem;padding:.75rem}
.t:focus-within{border-color:#0b57d0}
.t a{display:flex;gap:.6rem;align-items:center;font-weight:600;text-decoration:none;color:#1b1f24}
.t a::after{content:"";position:absolute;inset:0}
.t p{margin:.4rem 0;font-size:.9rem;color:#3d444d;overflow-wrap:anywhere}.t small{color:#555d66}
.m,.ph{width:40px;height:40px;flex:none;border-radius:.4rem}
.ph::before{content:attr(data-l)}
.ph{display:inline-flex;align-items:center;justify-content:center;background:#dfe5ec;color:#1b1f24;font-weight:700}
.b{display:inline-block;font-size:.75rem;font-weight:700;padding:0 .45rem;border-radius:.75rem;background:#fff1c2;color:#5c4400;border:1px solid #d9b44a}
.b.brk{background:#ffe1e1;color:#7a0b0b;border-color:#d98a8a}
.info{background:#fff;border:1px solid #d5d9de;border-left:4px solid #0b57d0;border-radius:.4rem;padding:.75rem 1rem;margin:1rem 0}
.info h2{margin:0 0 .5rem;font-size:1.1rem}.info ul{margin:0;padding-left:1.2rem}
.hero{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}.hero img{max-height:64px;max-width:240px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d5d9de;padding:.4rem .5rem;text-align:left;vertical-align:top}
.wrap{overflow-x:auto}.doc{background:#fff;border:1px solid #d5d9de;border-radius:.4rem;padding:0 1rem;overflow-wrap:anywhere}
.doc pre{overflow-x:auto;background:#f0f2f5;padding:.5rem}
.late{color:#8a1111;font-weight:700}.muted{color:#555d66}th .muted{font-weight:400}
[hidden]{display:none!important}
@media (max-width:40rem){main{padding:.75rem}form.find input,form.find select{min-width:0;width:100%}form.find label{width:100%}}
`;

export const JS = `(function(){
var form=document.querySelector("form.find");if(!form)return;
var q=form.querySelector("input"),c=form.querySelector("select"),out=document.getElementById("count");
var tiles=[].slice.call(document.querySelectorAll(".t")),groups=[].slice.call(document.querySelectorAll("section.g"));
var text=tiles.map(function(t){return t.textContent.toLowerCase()});
form.hidden=false;
var p=new URLSearchParams(location.search);q.value=p.get("q")||"";if(p.get("c"))c.value=p.get("c");
function apply(){var w=q.value.trim().toLowerCase().split(/\\s+/).filter(Boolean),cat=c.value,n=0;
tiles.forEach(function(t,i){var ok=(!cat||(" "+t.getAttribute("data-c")+" ").indexOf(" "+cat+" ")>=0)&&w.every(function(x){return text[i].indexOf(x)>=0});t.hidden=!ok;if(ok)n++});
groups.forEach(function(g){g.hidden=!g.querySelector(".t:not([hidden])")});
out.textContent=n+(n===1?" integration":" integrations");
var s=new URLSearchParams();if(q.value.trim())s.set("q",q.value.trim());if(cat)s.set("c",cat);
history.replaceState(null,"",s.toString()?"?"+s:location.pathname)}
q.addEventListener("input",apply);c.addEventListener("change",apply);form.addEventListener("submit",function(e){e.preventDefault();apply()});
apply()})();
`;
